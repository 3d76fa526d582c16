import Foundation  // NSLock, and Foundation's other locks
import LabKit
import LabRPC  // GetArgs, PutArgs, AppendArgs, SwapArgs and their replies

// Exercise 5: make this key/value service safe, and let calls on different keys overlap.
// Read README.md first.
//
// Every method is right when one call runs at a time. The RPC server runs each client connection
// on a Thread of its own, so calls arrive at the same time from many threads. Every change is also
// written to `disk`, which takes a while. Make every method safe and atomic under concurrent calls,
// without changing what each one returns, and without making calls on other keys wait.

public final class KV: @unchecked Sendable {
    private let disk: any Disk
    private var data: [String: String] = [:]
    private var calls = 0  // calls served, for the status page

    public init(disk: any Disk) {
        self.disk = disk
        notAttempted()  // delete this line when you start
    }

    /// The value of a key, or ErrNoKey.
    public func get(_ args: GetArgs) -> GetReply {
        calls += 1
        guard let value = data[args.key] else {
            return GetReply(err: .noKey, value: "")
        }
        return GetReply(err: .ok, value: value)
    }

    /// Sets a key's value, and writes it to the disk.
    public func put(_ args: PutArgs) -> PutReply {
        calls += 1
        data[args.key] = args.value
        disk.write(args.key, args.value)
        return PutReply(err: .ok)
    }

    /// Adds to a key's value, writes it to the disk, and returns the old value ("" for a new key).
    public func append(_ args: AppendArgs) -> AppendReply {
        let old = get(GetArgs(key: args.key)).value
        _ = put(PutArgs(key: args.key, value: old + args.value))
        calls -= 1  // one call, not two
        return AppendReply(err: .ok, value: old)
    }

    /// Exchanges the values of two existing keys and writes both; ErrNoKey if either is missing.
    public func swap(_ args: SwapArgs) -> SwapReply {
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

    /// How many calls the service has answered.
    public var callsServed: Int {
        calls
    }
}
