import Foundation
import LabKit
import LabRPC

// Right, but every Swap takes one lock first, and holds it to the end: the usual cure for two
// Swaps that take the same keys' locks in opposite orders. No deadlock, every value kept; but
// Swaps on different keys now take turns, each waiting for another's disk writes.

public final class KV: @unchecked Sendable {  // unchecked: each lock guards what its comment says
    private final class Slot: @unchecked Sendable {  // unchecked: lock guards value
        let lock = NSLock()
        var value: String?
    }

    private let disk: any Disk
    private let tableLock = NSLock()  // guards slots
    private var slots: [String: Slot] = [:]
    private let swapLock = NSLock()  // one Swap at a time
    private let countLock = NSLock()  // guards calls
    private var calls = 0

    public init(disk: any Disk) {
        self.disk = disk
    }

    private func slot(_ key: String) -> Slot {
        tableLock.lock()
        defer { tableLock.unlock() }
        if let s = slots[key] { return s }
        let s = Slot()
        slots[key] = s
        return s
    }

    private func count() {
        countLock.lock()
        defer { countLock.unlock() }
        calls += 1
    }

    public func get(_ args: GetArgs) -> GetReply {
        count()
        let s = slot(args.key)
        s.lock.lock()
        defer { s.lock.unlock() }
        guard let value = s.value else {
            return GetReply(err: .noKey, value: "")
        }
        return GetReply(err: .ok, value: value)
    }

    public func put(_ args: PutArgs) -> PutReply {
        count()
        let s = slot(args.key)
        s.lock.lock()
        defer { s.lock.unlock() }
        s.value = args.value
        disk.write(args.key, args.value)
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        count()
        let s = slot(args.key)
        s.lock.lock()
        defer { s.lock.unlock() }
        let old = s.value ?? ""
        s.value = old + args.value
        disk.write(args.key, old + args.value)
        return AppendReply(err: .ok, value: old)
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        count()
        swapLock.lock()
        defer { swapLock.unlock() }
        let a = slot(args.keyA), b = slot(args.keyB)
        let (first, second) = (a, b)
        first.lock.lock()
        defer { first.lock.unlock() }
        if second !== first { second.lock.lock() }  // Swap(k, k) has one lock
        defer { if second !== first { second.lock.unlock() } }
        guard let va = a.value, let vb = b.value else {
            return SwapReply(err: .noKey)
        }
        a.value = vb
        b.value = va
        disk.write(args.keyA, vb)
        disk.write(args.keyB, va)
        return SwapReply(err: .ok)
    }

    public var callsServed: Int {
        countLock.lock()
        defer { countLock.unlock() }
        return calls
    }
}
