import Foundation
import LabKit
import LabRPC

// Broken on purpose: the lecture's design, one mutex for all the state, taken once by every public
// method. Safe and atomic, and the disk holds what the map holds; but the lock is held across every
// disk write, so a call on one key waits for the disk writes of every other key.

public final class KV: @unchecked Sendable {  // unchecked: mu guards data and calls
    private let disk: any Disk
    private let mu = NSLock()
    private var data: [String: String] = [:]
    private var calls = 0

    public init(disk: any Disk) {
        self.disk = disk
    }

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
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        data[args.key] = args.value
        disk.write(args.key, args.value)
        return PutReply(err: .ok)
    }

    public func append(_ args: AppendArgs) -> AppendReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        let old = data[args.key] ?? ""
        data[args.key] = old + args.value
        disk.write(args.key, old + args.value)
        return AppendReply(err: .ok, value: old)
    }

    public func swap(_ args: SwapArgs) -> SwapReply {
        mu.lock()
        defer { mu.unlock() }
        calls += 1
        guard let a = data[args.keyA], let b = data[args.keyB] else {
            return SwapReply(err: .noKey)
        }
        data[args.keyA] = b
        data[args.keyB] = a
        disk.write(args.keyA, b)
        disk.write(args.keyB, a)
        return SwapReply(err: .ok)
    }

    public var callsServed: Int {
        mu.lock()
        defer { mu.unlock() }
        return calls
    }
}
