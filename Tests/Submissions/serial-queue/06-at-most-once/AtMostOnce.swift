import Dispatch
import LabKit
import LabRPC

// Right, in another style: a serial dispatch queue owns all the state, and every method runs its
// work on it with `sync`, one at a time. No lock in sight: the queue is the lock.

public final class AtMostOnceKV: Sendable {
    private let queue = DispatchQueue(label: "at-most-once")
    nonisolated(unsafe) private var data: [String: String] = [:]  // touched only on queue
    nonisolated(unsafe) private var acks: [Int: Int] = [:]
    nonisolated(unsafe) private var replies: [Int: [Int: AppendReply]] = [:]

    public init() {}

    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        try queue.sync {
            if args.ack > acks[args.clientID, default: 0] {
                acks[args.clientID] = args.ack
                replies[args.clientID] = replies[args.clientID, default: [:]].filter { $0.key >= args.ack }
            }
            if args.seq < acks[args.clientID, default: 0] {
                throw RPCServerError("request \(args.seq) of client \(args.clientID) was already acknowledged")
            }
            if let reply = replies[args.clientID]?[args.seq] { return reply }
            let old = data[args.key] ?? ""
            data[args.key] = old + args.value
            let reply = AppendReply(err: .ok, value: old)
            replies[args.clientID, default: [:]][args.seq] = reply
            return reply
        }
    }

    public func get(_ args: GetArgs) -> GetReply {
        queue.sync { GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "") }
    }

    public var remembered: Int {
        queue.sync { replies.values.reduce(0) { $0 + $1.count } }
    }
}
