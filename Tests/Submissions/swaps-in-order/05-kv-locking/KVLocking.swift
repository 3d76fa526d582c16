import Foundation
import LabKit
import LabRPC

// Broken on purpose: a lock per key, so calls on different keys run in parallel, and every
// method is atomic. But Swap takes its two keys' locks in the order of its arguments: one Swap(a, b)
// holds a and waits for b while a Swap(b, a) holds b and waits for a, and both wait forever.
// (The fix: take the two locks in one global order, for example by key.)

public final class KV: @unchecked Sendable {  // unchecked: each slot's lock guards its value
    private final class Slot: @unchecked Sendable {  // unchecked: lock guards value
        let lock = NSLock()
        var value: String?
    }

    private let tableLock = NSLock()  // guards slots
    private var slots: [String: Slot] = [:]
    private let countLock = NSLock()  // guards calls
    private var calls = 0

    public init() {}

    private func slot(_ key: String) -> Slot {
        tableLock.withLock {
            if let s = slots[key] { return s }
            let s = Slot()
            slots[key] = s
            return s
        }
    }

    private func count() { countLock.withLock { calls += 1 } }

    public func get(_ args: GetArgs) -> GetReply {
        count()
        let s = slot(args.key)
        return s.lock.withLock {
            guard let value = s.value else { return GetReply(err: .noKey, value: "") }
            return GetReply(err: .ok, value: value)
        }
    }

    public func put(_ args: PutArgs) -> PutReply {
        count()
        let s = slot(args.key)
        s.lock.withLock { s.value = args.value }
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        count()
        let s = slot(args.key)
        return s.lock.withLock {
            let old = s.value ?? ""
            s.value = old + args.value
            return AppendReply(err: .ok, value: old)
        }
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        count()
        let a = slot(args.keyA), b = slot(args.keyB)
        if a === b { return a.lock.withLock { SwapReply(err: a.value == nil ? .noKey : .ok) } }
        a.lock.lock()  // the first argument's lock first: the bug
        defer { a.lock.unlock() }
        b.lock.lock()
        defer { b.lock.unlock() }
        guard let va = a.value, let vb = b.value else { return SwapReply(err: .noKey) }
        a.value = vb
        b.value = va
        return SwapReply(err: .ok)
    }

    public var callsServed: Int { countLock.withLock { calls } }
}
