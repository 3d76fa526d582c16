import Foundation
import LabKit
import LabRPC

// Broken on purpose: safe under concurrent calls, but with no duplicate filter at all: every copy
// of a request runs, so a resent Append appends again (at-least-once).

public final class AtMostOnceKV: @unchecked Sendable {  // unchecked: mu guards data
    private let mu = NSLock()
    private var data: [String: String] = [:]

    public init() {}

    public func append(_ args: WindowedAppendArgs) throws -> AppendReply {
        mu.withLock {
            let old = data[args.key] ?? ""
            data[args.key] = old + args.value
            return AppendReply(err: .ok, value: old)
        }
    }

    public func get(_ args: GetArgs) -> GetReply {
        mu.withLock { GetReply(err: data[args.key] == nil ? .noKey : .ok, value: data[args.key] ?? "") }
    }

    public var remembered: Int {
        0
    }
}
