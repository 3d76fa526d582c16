import Foundation
import LabKit
import LabRPC

// Broken on purpose: every method locks, but `callsServed` reads `calls` without the lock while
// handlers write it. The values come out right; ThreadSanitizer reports the race.

public final class KV: @unchecked Sendable {
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var calls = 0

    public init() {}

    public func get(_ args: GetArgs) -> GetReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        guard let value = data[args.key] else {
            return GetReply(err: .noKey, value: "")
        }
        return GetReply(err: .ok, value: value)
    }

    public func put(_ args: PutArgs) -> PutReply {
        mu.withLock {
            calls += 1
            data[args.key] = args.value
        }
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        let old = data[args.key] ?? ""
        data[args.key] = old + args.value
        return AppendReply(err: .ok, value: old)
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        guard let a = data[args.keyA], let b = data[args.keyB] else {
            return SwapReply(err: .noKey)
        }
        (data[args.keyA], data[args.keyB]) = (b, a)
        return SwapReply(err: .ok)
    }

    public var callsServed: Int {
        calls
    }
}
