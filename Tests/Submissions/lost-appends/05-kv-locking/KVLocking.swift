import Foundation
import LabKit
import LabRPC

// Broken on purpose: every method takes the lock, so there is no data race, but Append is a Get
// and then a Put, each under the lock on its own: two Appends can read the same old value, and
// the second write loses the first one's token.

public final class KV: @unchecked Sendable {  // unchecked: mu guards data and calls
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var calls = 0

    public init() {}

    public func get(_ args: GetArgs) -> GetReply {
        mu.withLock {
            calls += 1
            guard let value = data[args.key] else { return GetReply(err: .noKey, value: "") }
            return GetReply(err: .ok, value: value)
        }
    }

    public func put(_ args: PutArgs) -> PutReply {
        mu.withLock {
            calls += 1
            data[args.key] = args.value
        }
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        let old = get(GetArgs(key: args.key)).value
        _ = put(PutArgs(key: args.key, value: old + args.value))
        mu.withLock { calls -= 1 }  // one call, not two
        return AppendReply(err: .ok, value: old)
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
