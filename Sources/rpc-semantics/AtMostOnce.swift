import Foundation
import LabRPC

// At-most-once: the server remembers, for each client, the last request it ran and its reply.
// A request seen before is answered from memory, not run again; an older one (its reply was
// already received, since the client has moved on) is refused. One entry per client: seeing
// request Seq tells the server the client has the reply to Seq - 1, so that can be forgotten.
// A request that reuses a Seq with other arguments is not a duplicate but a client that counts
// wrong (one that restarted and counts from 0 again, say): refused, so it finds out.

final class AtMostOnceKV: @unchecked Sendable {  // unchecked: mu guards data and last
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var last: [Int: (args: TaggedAppendArgs, reply: AppendReply)] = [:]  // clientID -> last request run

    func append(_ args: TaggedAppendArgs) throws -> AppendReply {
        mu.lock()
        defer { mu.unlock() }
        if let seen = last[args.clientID] {
            if args.seq == seen.args.seq {
                guard args == seen.args else {
                    throw RPCServerError("request \(args.seq) of client \(args.clientID) was already run with other arguments; a restarted client needs a new id")
                }
                return seen.reply  // a duplicate: the same answer, not a second append
            }
            if args.seq < seen.args.seq {
                throw RPCServerError("stale request \(args.seq) from client \(args.clientID)")
            }
        }
        let old = data[args.key] ?? ""
        data[args.key, default: ""].append(args.value)
        let reply = AppendReply(err: .ok, value: old)
        last[args.clientID] = (args, reply)
        return reply
    }

    func get(_ args: GetArgs) -> GetReply {
        mu.lock()
        defer { mu.unlock() }
        return GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "")
    }

    /// Requests remembered: one per client, however many requests each has sent.
    var remembered: Int {
        mu.lock()
        defer { mu.unlock() }
        return last.count
    }
}
