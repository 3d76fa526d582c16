import Foundation
import LabKit
import LabRPC

// Right, in another style: each key keeps the list of pieces appended to it, joined when read.
// Its data grows with every Append, as any store's must; its reply cache stays bounded. A memory
// check must count the replies it keeps, not every entry of every collection.

public final class AtMostOnceKV: @unchecked Sendable {  // unchecked: mu guards everything
    private struct Client {
        var ack = 0
        var replies: [Int: AppendReply] = [:]
    }

    private let mu = NSLock()
    private var data: [String: [String]] = [:]
    private var clients: [Int: Client] = [:]

    public init() {}

    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        mu.lock()
        defer { mu.unlock() }
        var c = clients[args.clientID] ?? Client()
        defer { clients[args.clientID] = c }
        if args.ack > c.ack {
            c.ack = args.ack
            c.replies = c.replies.filter { $0.key >= args.ack }
        }
        if args.seq < c.ack {
            throw RPCServerError("request \(args.seq) of client \(args.clientID) was already acknowledged")
        }
        if let reply = c.replies[args.seq] {
            return reply
        }
        let old = data[args.key]?.joined() ?? ""
        data[args.key, default: []].append(args.value)
        let reply = AppendReply(err: .ok, value: old)
        c.replies[args.seq] = reply
        return reply
    }

    public func get(_ args: GetArgs) -> GetReply {
        mu.lock()
        defer { mu.unlock() }
        return GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key]?.joined() ?? "")
    }

    public var remembered: Int {
        mu.lock()
        defer { mu.unlock() }
        return clients.values.reduce(0) { $0 + $1.replies.count }
    }
}
