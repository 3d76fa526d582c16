import Foundation
import LabKit
import LabRPC

// A right duplicate filter that never forgets a reply, and whose `remembered` says it holds
// none: a memory check that trusts the count fails to see it.

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
        mu.lock()
        defer { mu.unlock() }
        var c = clients[args.clientID] ?? Client()
        defer { clients[args.clientID] = c }
        if args.ack > c.ack {
            c.ack = args.ack
            // (never forgets)
        }
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

    public func get(_ args: GetArgs) -> GetReply {
        mu.lock()
        defer { mu.unlock() }
        return GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "")
    }

    public var remembered: Int {
        mu.lock()
        defer { mu.unlock() }
        return 0
    }
}
