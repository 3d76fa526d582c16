import Foundation
import KvLocking
import LabKit
import LabRPC
import LabTesting
import XCTest

/// Exercise 5, `Exercises/05-kv-locking`: the points of each check are in its `exercise.json`.
/// The student's service is served over TCP by the lab's RPC server, a Thread per connection,
/// and called by clients that each have a connection of their own.
final class KvLockingChecks: ExerciseCase {
    func serve(_ kv: KV) throws -> (RPCServer, Int) {
        let server = RPCServer()
        server.register("KV.Get", kv.get)
        server.register("KV.Put", kv.put)
        server.register("KV.Append", kv.append)
        server.register("KV.Swap", kv.swap)
        return (server, try server.listen())
    }

    /// Runs `body` once per client, all at once, each client with its own connection.
    func concurrently(_ clients: Int, port: Int, _ what: String,
                      _ body: @escaping @Sendable (Int, RPCClient) async throws -> Void) throws {
        try withWatchdog(30, "\(clients) clients calling the service at once (\(what))") {
            try await withThrowingTaskGroup(of: Void.self) { g in
                for c in 0..<clients {
                    g.addTask {
                        let client = try RPCClient(host: "127.0.0.1", port: port)
                        defer { client.close() }
                        try await body(c, client)
                    }
                }
                try await g.waitForAll()
            }
        }
    }

    /// A new service holding s0 and s1 (two Puts, for Swap), served.
    func servedWithTwoKeys() throws -> (KV, RPCServer, Int) {
        let kv = KV(disk: RecordingDisk())
        try skipIfNotAttempted()
        _ = kv.put(PutArgs(key: "s0", value: "a"))
        _ = kv.put(PutArgs(key: "s1", value: "b"))
        let (server, port) = try serve(kv)
        return (kv, server, port)
    }

    /// Fails when the disk does not hold what the map holds for `keys`, or two writes of a key overlapped.
    func assertDiskAgrees(_ kv: KV, _ disk: RecordingDisk, _ keys: [String], _ what: String,
                          file: StaticString = #filePath, line: UInt = #line) {
        let onDisk = disk.values
        let differ = keys.filter { onDisk[$0] != kv.get(GetArgs(key: $0)).value }
        if let k = differ.first {
            XCTFail("\(what): the disk holds \(onDisk[k].map { "\"\($0.prefix(40))\"" } ?? "nothing") for \(k), the map "
                    + "\"\(kv.get(GetArgs(key: k)).value.prefix(40))\" (\(differ.count) key(s) differ): write a key to the disk "
                    + "in the same step as the change, under the key's lock", file: file, line: line)
        }
        if let k = disk.overlaps.first {
            XCTFail("\(what): two disk writes of \(k) were under way at once (\(disk.overlaps.count) key(s)): "
                    + "the older value can land last; write under the key's lock", file: file, line: line)
        }
    }

    func testEachCallAlone() throws {
        let disk = RecordingDisk()
        let kv = KV(disk: disk)
        try skipIfNotAttempted()
        let (server, port) = try serve(kv)
        defer { server.stop() }
        try withWatchdog(20, "one client calling each method") {
            let c = try RPCClient(host: "127.0.0.1", port: port)
            defer { c.close() }
            var g: GetReply = try await c.call("KV.Get", GetArgs(key: "a"))
            XCTAssertEqual(g.err, .noKey, "Get of a key never put must answer ErrNoKey")
            let p: PutReply = try await c.call("KV.Put", PutArgs(key: "a", value: "1"))
            XCTAssertEqual(p.err, .ok)
            g = try await c.call("KV.Get", GetArgs(key: "a"))
            XCTAssertEqual(g, GetReply(err: .ok, value: "1"), "Get after Put(a, 1)")
            var a: AppendReply = try await c.call("KV.Append", AppendArgs(key: "a", value: "2"))
            XCTAssertEqual(a, AppendReply(err: .ok, value: "1"), "Append returns the old value")
            a = try await c.call("KV.Append", AppendArgs(key: "new", value: "x"))
            XCTAssertEqual(a, AppendReply(err: .ok, value: ""), "Append to a new key returns \"\"")
            var s: SwapReply = try await c.call("KV.Swap", SwapArgs(keyA: "a", keyB: "new"))
            XCTAssertEqual(s.err, .ok)
            g = try await c.call("KV.Get", GetArgs(key: "a"))
            XCTAssertEqual(g.value, "x", "after Swap(a, new), a holds new's value")
            s = try await c.call("KV.Swap", SwapArgs(keyA: "a", keyB: "nothing"))
            XCTAssertEqual(s.err, .noKey, "Swap with a missing key answers ErrNoKey")
            g = try await c.call("KV.Get", GetArgs(key: "new"))
            XCTAssertEqual(g.value, "12", "a failed Swap changes nothing")
            s = try await c.call("KV.Swap", SwapArgs(keyA: "a", keyB: "a"))
            XCTAssertEqual(s.err, .ok, "Swap(a, a) of an existing key")
        }
        XCTAssertEqual(kv.callsServed, 10, "callsServed after 10 calls, one at a time")
        XCTAssertEqual(disk.values, ["a": "x", "new": "12"], "what the disk holds after those calls: each key's last value")
    }

    /// 8 threads call Append directly, 1,000 times each, all on one key, as fast as they can: the
    /// most overlapping Appends this machine can make. Then 8 clients over TCP append 100 tokens each
    /// to 4 shared keys. Every token must be there exactly once, and the old value each Append
    /// returned must be what the key held just before it (a prefix).
    func testNoLostAppends() throws {
        let disk = RecordingDisk()
        let kv = KV(disk: disk)
        try skipIfNotAttempted()
        try withWatchdog(30, "8 threads appending to one key") {
            await withTaskGroup(of: Void.self) { g in
                for t in 0..<8 {
                    g.addTask {
                        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                            Thread {
                                for i in 0..<1_000 { _ = kv.append(AppendArgs(key: "hot", value: "\(t).\(i);")) }
                                done.resume()
                            }.start()
                        }
                    }
                }
            }
        }
        let hot = Set(kv.get(GetArgs(key: "hot")).value.split(separator: ";"))
        if hot.count != 8_000 {
            XCTFail("8 threads appended 1,000 tokens each to one key, and \(8_000 - hot.count) were lost: "
                    + "two Appends read the same old value and the second write overwrote the first")
        }
        let (server, port) = try serve(kv)
        defer { server.stop() }
        let olds = LockedBox<[String: [String]]>([:])
        try concurrently(8, port: port, "Append") { c, client in
            for i in 0..<100 {
                let key = "k\(i % 4)"
                let r: AppendReply = try await client.call("KV.Append", AppendArgs(key: key, value: "\(c).\(i);"))
                olds.withValue { $0[key, default: []].append(r.value) }
            }
        }
        for k in 0..<4 {
            let value = kv.get(GetArgs(key: "k\(k)")).value
            let tokens = value.split(separator: ";").map(String.init)
            let want = Set((0..<8).flatMap { c in stride(from: k, to: 100, by: 4).map { "\(c).\($0)" } })
            let lost = want.subtracting(tokens)
            XCTAssertTrue(lost.isEmpty, "k\(k) lost \(lost.count) of its 200 appends, e.g. \(lost.sorted().prefix(3)): "
                          + "two Appends read the same old value and the second write overwrote the first")
            XCTAssertEqual(tokens.count, Set(tokens).count, "k\(k) holds a token twice")
            let notPrefix = (olds.value["k\(k)"] ?? []).filter { !value.hasPrefix($0) }
            XCTAssertTrue(notPrefix.isEmpty, "\(notPrefix.count) Append(s) to k\(k) returned an old value that the key never held")
        }
        assertDiskAgrees(kv, disk, ["hot", "k0", "k1", "k2", "k3"], "after the concurrent Appends")
    }

    /// 8 threads, released together, each write their own key 30 times (25 Puts, 5 Appends)
    /// through a disk that takes 2 ms a write. Alone, one thread takes 60 ms; with a lock per key,
    /// 8 together take about as long. One lock held across every write makes them take turns:
    /// about 8 times as long. Allowed: 3 times.
    func testCallsOnDifferentKeysOverlap() throws {
        let disk = RecordingDisk(latency: .milliseconds(2))
        let kv = KV(disk: disk)
        try skipIfNotAttempted()
        let alone = 30.0 * disk.latency.milliseconds
        let start = ContinuousClock.now
        let outcome = onThreadsAtOnce(8, within: 60, stall: 5) { t, _, tick in
            for i in 0..<25 { _ = kv.put(PutArgs(key: "own\(t)", value: "\(i)")) }
            for i in 0..<5 {
                _ = kv.append(AppendArgs(key: "own\(t)", value: ".\(i)"))
                tick()
            }
        }
        let took = (ContinuousClock.now - start).milliseconds
        guard outcome == .finished else {
            return XCTFail("8 threads writing their own keys \(outcome)")
        }
        let keys = (0..<8).map { "own\($0)" }
        XCTAssertEqual(keys.map { kv.get(GetArgs(key: $0)).value }, Array(repeating: "24.0.1.2.3.4", count: 8),
                       "each thread's key after its 25 Puts and 5 Appends")
        assertDiskAgrees(kv, disk, keys, "8 threads writing their own keys")
        if took > 3 * alone {
            XCTFail("8 threads, each writing its own key 30 times through a disk that takes 2 ms a write, took \(Int(took)) ms; "
                    + "one thread alone takes \(Int(alone)) ms, and calls on different keys must not wait for each other "
                    + "(allowed: \(Int(3 * alone)) ms). One lock held across every disk write makes them take turns")
        }
        try swapsOnDifferentKeysOverlap()
    }

    /// 8 threads each swap two keys of their own 10 times: with a lock per key, their disk writes
    /// are under way at the same time; with one lock for every Swap, one write at a time (two,
    /// for a Swap that writes its two keys at once).
    func swapsOnDifferentKeysOverlap() throws {
        let disk = RecordingDisk(latency: .milliseconds(2))
        let kv = KV(disk: disk)
        for t in 0..<8 {
            _ = kv.put(PutArgs(key: "a\(t)", value: "a"))
            _ = kv.put(PutArgs(key: "b\(t)", value: "b"))
        }
        disk.resetMostAtOnce()
        let outcome = onThreadsAtOnce(8, within: 60, stall: 5) { t, _, tick in
            for _ in 0..<10 {
                _ = kv.swap(SwapArgs(keyA: "a\(t)", keyB: "b\(t)"))
                tick()
            }
        }
        guard outcome == .finished else { return XCTFail("8 threads swapping two keys of their own \(outcome)") }
        let keys = (0..<8).flatMap { ["a\($0)", "b\($0)"] }
        XCTAssertEqual(keys.map { kv.get(GetArgs(key: $0)).value }, Array(repeating: ["a", "b"], count: 8).flatMap { $0 },
                       "each thread's two keys after 10 Swaps")
        assertDiskAgrees(kv, disk, keys, "8 threads swapping two keys of their own")
        if disk.mostAtOnce < 3 {
            XCTFail("8 threads, each swapping two keys of its own 10 times through a disk that takes 2 ms a write, never had "
                    + "more than \(disk.mostAtOnce) disk write(s) under way at once: Swaps on different keys took turns. A Swap "
                    + "may wait for calls on its own two keys, never for another Swap's disk writes (one lock for every Swap "
                    + "makes them take turns)")
        }
    }

    /// First two threads swap the same two keys in opposite orders, released at the same instant,
    /// for a second (at most 200,000 times each): two Swaps that take their keys' locks in argument
    /// order wait for each other within milliseconds. Then 8 clients swap random pairs of 6 keys, in both orders,
    /// while others read: the 6 values must survive, each once, and nothing may hang.
    func testSwapsKeepEveryValue() throws {
        let kv = KV(disk: RecordingDisk())
        try skipIfNotAttempted()
        _ = kv.put(PutArgs(key: "x", value: "1"))
        _ = kv.put(PutArgs(key: "y", value: "2"))
        let outcome = onThreadsAtOnce(2, within: 60, stall: 3) { t, _, tick in
            let args = t == 0 ? SwapArgs(keyA: "x", keyB: "y") : SwapArgs(keyA: "y", keyB: "x")
            let end = ContinuousClock.now + .seconds(1)
            for i in 0..<200_000 {
                _ = kv.swap(args)
                if i % 256 == 0 {
                    tick()
                    if ContinuousClock.now > end { break }
                }
            }
        }
        guard outcome == .finished else {
            return XCTFail("two threads calling Swap(x, y) and Swap(y, x) at the same time, for a second, "
                           + (outcome == .stalled(seconds: 3)
                              ? "stopped: neither made progress for 3 s. A deadlock: each Swap holds one key's lock and waits "
                                + "for the other's. Take a Swap's locks in one order, whatever the order of its arguments"
                              : "did not finish within 60 s"))
        }
        XCTAssertEqual(Set(["x", "y"].map { kv.get(GetArgs(key: $0)).value }), ["1", "2"],
                       "after a second of swapping x and y from two threads, they must still hold 1 and 2")
        for i in 0..<6 { _ = kv.put(PutArgs(key: "s\(i)", value: "v\(i)")) }
        let (server, port) = try serve(kv)
        defer { server.stop() }
        let failed = LockedBox(0)
        try concurrently(8, port: port, "Swap") { c, client in
            var rng = SplitMix64(seed: UInt64(c + 1))
            for _ in 0..<100 {
                let a = Int(rng.next() % 6)
                let b = (a + 1 + Int(rng.next() % 5)) % 6
                let s: SwapReply = try await client.call("KV.Swap", SwapArgs(keyA: "s\(a)", keyB: "s\(b)"))
                if s.err != .ok { failed.withValue { $0 += 1 } }
                if c % 2 == 0 { let _: GetReply = try await client.call("KV.Get", GetArgs(key: "s\(b)")) }
            }
        }
        XCTAssertEqual(failed.value, 0, "Swaps of two existing keys answered ErrNoKey")
        let values = (0..<6).map { kv.get(GetArgs(key: "s\($0)")).value }.sorted()
        XCTAssertEqual(values, (0..<6).map { "v\($0)" }, "after concurrent swaps the keys must hold v0...v5, each once")
    }

    func testCallsServedIsExact() throws {
        let (kv, server, port) = try servedWithTwoKeys()
        defer { server.stop() }
        try concurrently(8, port: port, "every method") { c, client in
            for i in 0..<50 {
                let _: GetReply = try await client.call("KV.Get", GetArgs(key: "k"))
                let _: PutReply = try await client.call("KV.Put", PutArgs(key: "k\(c)", value: "\(i)"))
                let _: AppendReply = try await client.call("KV.Append", AppendArgs(key: "k", value: "."))
                let _: SwapReply = try await client.call("KV.Swap", SwapArgs(keyA: "s0", keyB: "s1"))
            }
        }
        XCTAssertEqual(kv.callsServed, 2 + 8 * 50 * 4, "callsServed after 2 Puts and 1,600 concurrent calls")
    }

    func testNoRaces() throws {
        let (kv, server, port) = try servedWithTwoKeys()
        defer { server.stop() }
        try checkNoRaces("the service under 4 concurrent clients and a status page reading callsServed, "
                         + "then under 4 threads calling it directly") {
            let statusPage = Thread {
                for _ in 0..<200 where !Thread.current.isCancelled {
                    _ = kv.callsServed
                    Thread.sleep(forTimeInterval: 0.0005)
                }
            }
            statusPage.start()
            defer { statusPage.cancel() }
            try concurrently(4, port: port, "every method") { c, client in
                for _ in 0..<30 {
                    let _: AppendReply = try await client.call("KV.Append", AppendArgs(key: "k", value: "."))
                    let _: SwapReply = try await client.call("KV.Swap", SwapArgs(keyA: "s0", keyB: "s1"))
                    let _: GetReply = try await client.call("KV.Get", GetArgs(key: "k"))
                }
            }
            _ = kv.callsServed
            // Then 4 threads call the service directly, released at the same instant: over TCP,
            // each request's bytes pass through the kernel, which ThreadSanitizer counts as
            // synchronization between the client threads, and that can hide a race.
            let outcome = onThreadsAtOnce(4, within: 60, stall: 3) { t, _, tick in
                for i in 0..<1_000 {
                    _ = kv.append(AppendArgs(key: "k\(i % 2)", value: "."))
                    _ = kv.swap(SwapArgs(keyA: "s0", keyB: "s1"))  // one order: a deadlock is another check's
                    _ = kv.get(GetArgs(key: "k\(i % 2)"))
                    _ = kv.put(PutArgs(key: "p\(t)", value: "\(i)"))
                    if i % 10 == 0 {
                        _ = kv.callsServed
                        tick()
                    }
                }
            }
            if outcome != .finished { XCTFail("4 threads calling every method 1,000 times each \(outcome)") }
        }
    }
}
