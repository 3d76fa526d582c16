import LabKit
import LabRPC

// Exercise 6: at-most-once Append over a lossy network. Read README.md first.
//
// Clients resend a request until its reply arrives, and keep several requests in flight at once.
// A request may therefore arrive twice, late, or after a newer one. Run each Append at most once:
// answer a duplicate with the reply the first copy got. Forget what no client can ask again:
// `Ack` says the client has every reply below it. Reject a request older than its client's `Ack`.

public final class AtMostOnceKV: @unchecked Sendable {
    private var data: [String: String] = [:]

    public init() {
        notAttempted()  // delete this line when you start
    }

    /// Runs the Append, once, and returns the old value.
    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        let old = data[args.key] ?? ""
        data[args.key] = old + args.value
        return AppendReply(err: .ok, value: old)
    }

    public func get(_ args: GetArgs) -> GetReply {
        GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "")
    }

    /// How many replies the server keeps in case a request comes again.
    public var remembered: Int {
        0
    }
}
