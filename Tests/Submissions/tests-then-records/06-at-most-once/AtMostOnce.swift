import Foundation
import LabKit
import LabRPC

// Broken on purpose: every step takes the lock, so there is no data race, and a copy that comes
// after the first has finished gets the first reply. But the duplicate test and the recording of
// the reply are two locked steps with the Append between them: two copies of one request that
// arrive at the same moment both find no reply, and both run.

public final class AtMostOnceKV: @unchecked Sendable {  // unchecked: mu guards everything
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var acks: [Int: Int] = [:]
    private var replies: [Int: [Int: AppendReply]] = [:]

    public init() {}

    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        // Step 1: is it old, or a duplicate?
        let seen: AppendReply? = try mu.withLock {
            if args.ack > acks[args.clientID, default: 0] {
                acks[args.clientID] = args.ack
                replies[args.clientID] = replies[args.clientID, default: [:]].filter { $0.key >= args.ack }
            }
            if args.seq < acks[args.clientID, default: 0] {
                throw RPCServerError("request \(args.seq) of client \(args.clientID) was already acknowledged")
            }
            return replies[args.clientID]?[args.seq]
        }
        if let seen { return seen }
        // Step 2: run it. Step 3: remember its reply. Another copy can pass step 1 meanwhile.
        let reply = mu.withLock {
            let old = data[args.key] ?? ""
            data[args.key] = old + args.value
            return AppendReply(err: .ok, value: old)
        }
        mu.withLock {
            if args.seq >= acks[args.clientID, default: 0] { replies[args.clientID, default: [:]][args.seq] = reply }
        }
        return reply
    }

    public func get(_ args: GetArgs) -> GetReply {
        mu.withLock { GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "") }
    }

    public var remembered: Int {
        mu.withLock { replies.values.reduce(0) { $0 + $1.count } }
    }
}
