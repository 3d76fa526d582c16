import Foundation
import LabKit
import LabRPC

// Broken on purpose: a lock per key, so calls on different keys run in parallel, and every
// method is atomic. But Swap takes its two keys' locks in the order of its arguments: one Swap(a, b)
// holds a and waits for b while a Swap(b, a) holds b and waits for a, and both wait forever.
// (The fix: take the two locks in one global order, for example by key.)

public final class KV: @unchecked Sendable {  // unchecked: each lock guards what its comment says
    private final class Slot: @unchecked Sendable {  // unchecked: lock guards value
        let lock = NSLock()
        var value: String?
    }

    private let disk: any Disk
    private let tableLock = NSLock()  // guards slots
    private var slots: [String: Slot] = [:]
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
        let a = slot(args.keyA), b = slot(args.keyB)
        a.lock.lock()  // the bug: the first argument's lock first
        defer { a.lock.unlock() }
        if b !== a { b.lock.lock() }
        defer { if b !== a { b.lock.unlock() } }
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
