import Dispatch
import LabKit
import LabRPC
import Synchronization

// Right, in another style: a serial dispatch queue owns the map (every method runs its work on it,
// one at a time, with `sync`), and the call counter is an atomic, so the status page reads it
// without waiting for the queue.

public final class KV: Sendable {
    private let queue = DispatchQueue(label: "kv")
    nonisolated(unsafe) private var data: [String: String] = [:]  // touched only on queue
    private let calls = Atomic<Int>(0)

    public init() {}

    public func get(_ args: GetArgs) -> GetReply {
        calls.add(1, ordering: .relaxed)
        return queue.sync {
            guard let value = data[args.key] else { return GetReply(err: .noKey, value: "") }
            return GetReply(err: .ok, value: value)
        }
    }

    public func put(_ args: PutArgs) -> PutReply {
        calls.add(1, ordering: .relaxed)
        queue.sync { data[args.key] = args.value }
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        calls.add(1, ordering: .relaxed)
        return queue.sync {
            let old = data[args.key] ?? ""
            data[args.key] = old + args.value
            return AppendReply(err: .ok, value: old)
        }
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        calls.add(1, ordering: .relaxed)
        return queue.sync {
            guard let a = data[args.keyA], let b = data[args.keyB] else { return SwapReply(err: .noKey) }
            data[args.keyA] = b
            data[args.keyB] = a
            return SwapReply(err: .ok)
        }
    }

    public var callsServed: Int { calls.load(ordering: .relaxed) }
}
