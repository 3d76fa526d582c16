import Foundation
import LabKit
import LabRPC

// Broken on purpose: one lock, every method atomic, but Append counts itself twice in
// `callsServed`: it is built from the same counted steps as Get and Put.

public final class KV: @unchecked Sendable {  // unchecked: mu guards data and calls
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var calls = 0

    public init() {}

    private func getLocked(_ key: String) -> String? {
        calls += 1
        return data[key]
    }

    private func putLocked(_ key: String, _ value: String) {
        calls += 1
        data[key] = value
    }

    public func get(_ args: GetArgs) -> GetReply {
        mu.withLock {
            guard let value = getLocked(args.key) else { return GetReply(err: .noKey, value: "") }
            return GetReply(err: .ok, value: value)
        }
    }

    public func put(_ args: PutArgs) -> PutReply {
        mu.withLock { putLocked(args.key, args.value) }
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        mu.withLock {
            let old = getLocked(args.key) ?? ""
            putLocked(args.key, old + args.value)
            return AppendReply(err: .ok, value: old)
        }
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        mu.withLock {
            calls += 1
            guard let a = data[args.keyA], let b = data[args.keyB] else { return SwapReply(err: .noKey) }
            data[args.keyA] = b
            data[args.keyB] = a
            return SwapReply(err: .ok)
        }
    }

    public var callsServed: Int {
        mu.withLock { calls }
    }
}
