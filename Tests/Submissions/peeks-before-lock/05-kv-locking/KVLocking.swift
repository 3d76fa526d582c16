import Foundation
import LabKit
import LabRPC

// Broken on purpose: every result is right and no Append is lost, but Append peeks at the map
// before it takes the lock (to count appends to keys that already exist). That read races with
// the writes other threads make under the lock: a data race, which only the race check can see.

public final class KV: @unchecked Sendable {  // unchecked: mu guards data, calls and extended
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var calls = 0
    private var extended = 0  // appends to a key that already held a value

    public init() {}

    public func get(_ args: GetArgs) -> GetReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        guard let value = data[args.key] else {
            return GetReply(err: .noKey, value: "")
        }
        return GetReply(err: .ok, value: value)
    }

    public func put(_ args: PutArgs) -> PutReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        data[args.key] = args.value
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        let existed = data[args.key] != nil  // the bug: read without the lock
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        if existed { extended += 1 }
        let old = data[args.key] ?? ""
        data[args.key] = old + args.value
        return AppendReply(err: .ok, value: old)
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        guard let a = data[args.keyA], let b = data[args.keyB] else {
            return SwapReply(err: .noKey)
        }
        data[args.keyA] = b
        data[args.keyB] = a
        return SwapReply(err: .ok)
    }

    public var callsServed: Int {
        mu.lock()
        defer { mu.unlock() }
        return calls
    }
}
