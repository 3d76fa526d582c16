import Foundation
import LabKit
import LabRPC

// Reference solution. One mutex guards all the state. The public methods take it once; Append
// and the counting happen inside that one critical section, so an Append reads and writes its key
// as one step, and a Swap changes both keys as one step. NSLock is not recursive: a method that
// holds it must not call another public method, so the shared work is in private helpers.

public final class KV: @unchecked Sendable {  // unchecked: mu guards data and calls
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var calls = 0

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
        mu.lock()
        defer { mu.unlock() }
        calls += 1
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
