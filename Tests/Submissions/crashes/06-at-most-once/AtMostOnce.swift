import Foundation
import LabKit
import LabRPC

// Broken on purpose: a correct filter that traps on any request numbered above 100: it indexes a
// 101-slot array by request number. Swift's message names the standard library's file; the grader
// must name this one, and the line.

public final class AtMostOnceKV: @unchecked Sendable {
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var acks: [Int: Int] = [:]
    private var replies: [Int: [Int: AppendReply]] = [:]

    public init() {}

    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        let slots = [Int](repeating: 0, count: 101); _ = slots[args.seq]  // index out of range above 100
        mu.lock()
        defer { mu.unlock() }
        if args.ack > acks[args.clientID, default: 0] {
            acks[args.clientID] = args.ack
            replies[args.clientID] = replies[args.clientID]?.filter { $0.key >= args.ack }
        }
        if args.seq < acks[args.clientID, default: 0] {
            throw RPCServerError("already acknowledged")
        }
        if let reply = replies[args.clientID]?[args.seq] {
            return reply
        }
        let old = data[args.key] ?? ""
        data[args.key] = old + args.value
        let reply = AppendReply(err: .ok, value: old)
        replies[args.clientID, default: [:]][args.seq] = reply
        return reply
    }

    public func get(_ args: GetArgs) -> GetReply {
        mu.withLock { GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "") }
    }

    public var remembered: Int {
        mu.withLock { replies.values.map(\.count).reduce(0, +) }
    }
}
