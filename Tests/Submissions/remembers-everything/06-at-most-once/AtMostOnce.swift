import Foundation
import LabKit
import LabRPC

// Broken on purpose: a correct duplicate filter that never forgets. Every reply of every client
// is kept for ever, so the server's memory grows with every request it has ever run.

public final class AtMostOnceKV: @unchecked Sendable {  // unchecked: mu guards everything
    private struct Client {
        var ack = 0
        var replies: [Int: AppendReply] = [:]
    }

    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var clients: [Int: Client] = [:]

    public init() {}

    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        try mu.withLock {
            var c = clients[args.clientID] ?? Client()
            defer { clients[args.clientID] = c }
            c.ack = max(c.ack, args.ack)
            if args.seq < c.ack {
                throw RPCServerError("request \(args.seq) of client \(args.clientID) was already acknowledged")
            }
            if let reply = c.replies[args.seq] {
                return reply
            }
            let old = data[args.key] ?? ""
            data[args.key] = old + args.value
            let reply = AppendReply(err: .ok, value: old)
            c.replies[args.seq] = reply
            return reply
        }
    }

    public func get(_ args: GetArgs) -> GetReply {
        mu.withLock { GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "") }
    }

    public var remembered: Int {
        mu.withLock { clients.values.reduce(0) { $0 + $1.replies.count } }
    }
}
