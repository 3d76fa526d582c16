import Foundation
import LabRPC

// The lecture's key/value server. The RPC library calls these methods from many threads at once
// (a thread per connection, like Go's goroutine per connection), so the map needs its mutex.
// Append returns the old value: if a retried request runs twice, the value shows it.

final class KV: @unchecked Sendable {  // unchecked: mu guards data
    private let mu = NSLock()
    private var data: [String: String] = [:]

    func get(_ args: GetArgs) -> GetReply {
        mu.lock()
        defer { mu.unlock() }
        guard let value = data[args.key] else {
            return GetReply(err: .noKey, value: "")
        }
        return GetReply(err: .ok, value: value)
    }

    func put(_ args: PutArgs) -> PutReply {
        mu.lock()
        defer { mu.unlock() }
        data[args.key] = args.value
        return PutReply(err: .ok)
    }

    func append(_ args: AppendArgs) -> AppendReply {
        mu.lock()
        defer { mu.unlock() }
        let old = data[args.key] ?? ""
        data[args.key] = old + args.value
        return AppendReply(err: .ok, value: old)
    }
}
