import Foundation
import LabKit
import LabRPC
import Synchronization

// Right, in another style: lock striping. 16 locks, each guarding the keys that hash to it, and a
// map per stripe; a Swap takes its keys' stripes in stripe order (one lock when they share one).
// The call counter is an atomic, so the status page reads it without any lock.

public final class KV: Sendable {
    private final class Stripe: @unchecked Sendable {  // unchecked: lock guards data
        let lock = NSLock()
        var data: [String: String] = [:]
    }

    private let disk: any Disk
    private let stripes = (0..<16).map { _ in Stripe() }
    private let calls = Atomic<Int>(0)

    public init(disk: any Disk) {
        self.disk = disk
    }

    private func stripe(_ key: String) -> Int {
        var h: UInt32 = 2_166_136_261  // FNV-1a: the same stripe for a key in every process
        for byte in key.utf8 { h = (h ^ UInt32(byte)) &* 16_777_619 }
        return Int(h % 16)
    }

    public func get(_ args: GetArgs) -> GetReply {
        calls.add(1, ordering: .relaxed)
        let s = stripes[stripe(args.key)]
        return s.lock.withLock {
            guard let value = s.data[args.key] else { return GetReply(err: .noKey, value: "") }
            return GetReply(err: .ok, value: value)
        }
    }

    public func put(_ args: PutArgs) -> PutReply {
        calls.add(1, ordering: .relaxed)
        let s = stripes[stripe(args.key)]
        s.lock.withLock {
            s.data[args.key] = args.value
            disk.write(args.key, args.value)
        }
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        calls.add(1, ordering: .relaxed)
        let s = stripes[stripe(args.key)]
        return s.lock.withLock {
            let old = s.data[args.key] ?? ""
            s.data[args.key] = old + args.value
            disk.write(args.key, old + args.value)
            return AppendReply(err: .ok, value: old)
        }
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        calls.add(1, ordering: .relaxed)
        let i = stripe(args.keyA), j = stripe(args.keyB)
        let order = i == j ? [i] : [min(i, j), max(i, j)]
        for k in order { stripes[k].lock.lock() }
        defer { for k in order.reversed() { stripes[k].lock.unlock() } }
        let a = stripes[i], b = stripes[j]
        guard let va = a.data[args.keyA], let vb = b.data[args.keyB] else { return SwapReply(err: .noKey) }
        a.data[args.keyA] = vb
        b.data[args.keyB] = va
        disk.write(args.keyA, vb)
        disk.write(args.keyB, va)
        return SwapReply(err: .ok)
    }

    public var callsServed: Int { calls.load(ordering: .relaxed) }
}
