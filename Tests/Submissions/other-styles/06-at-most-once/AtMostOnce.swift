import Foundation
import LabKit
import LabRPC

// Right, in another style: a recursive lock, so that a locked method may call another public
// method that takes the same lock (append checks with `remembered`). Replies are kept per client
// in one dictionary keyed by (client, request), and dropped when the client's Ack passes them.

public final class AtMostOnceKV: @unchecked Sendable {  // unchecked: lock guards everything
    private struct Request: Hashable {
        var client: Int
        var seq: Int
    }

    private let lock = NSRecursiveLock()
    private var data: [String: String] = [:]
    private var acks: [Int: Int] = [:]
    private var replies: [Request: AppendReply] = [:]

    public init() {}

    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        lock.lock()
        defer { lock.unlock() }
        let ack = acks[args.clientID, default: 0]
        if args.ack > ack {
            acks[args.clientID] = args.ack
            replies = replies.filter { $0.key.client != args.clientID || $0.key.seq >= args.ack }
        }
        if args.seq < acks[args.clientID, default: 0] {
            throw RPCServerError("request \(args.seq) of client \(args.clientID) was already acknowledged")
        }
        let request = Request(client: args.clientID, seq: args.seq)
        if let reply = replies[request] { return reply }
        let old = get(GetArgs(key: args.key)).value  // takes the lock again: fine, it is recursive
        data[args.key] = old + args.value
        let reply = AppendReply(err: .ok, value: old)
        replies[request] = reply
        precondition(remembered >= 1)
        return reply
    }

    public func get(_ args: GetArgs) -> GetReply {
        lock.lock()
        defer { lock.unlock() }
        return GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "")
    }

    public var remembered: Int {
        lock.lock()
        defer { lock.unlock() }
        return replies.count
    }
}
