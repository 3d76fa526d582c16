import AtMostOnce
import Foundation
import LabKit
import LabRPC
import LabTesting
import XCTest

/// Exercise 6, `Exercises/06-at-most-once`: the points of each check are in its `exercise.json`.
/// Clients keep `window` Appends in flight and resend each until its reply arrives, over the lab's
/// seeded lossy network (`SimulatedNetwork`), which drops, duplicates and delays messages.
final class AtMostOnceChecks: ExerciseCase {
    static let lossy = Faults(dropRequests: 0.25, dropReplies: 0.25, duplicateRequests: 0.2, maxDelay: .milliseconds(2))

    func serve(_ kv: AtMostOnceKV) -> RPCServer {
        let server = RPCServer()
        server.register("KV.Append", kv.append)
        server.register("KV.Get", kv.get)
        return server
    }

    /// One client's requests: which are in flight, so that each request says which replies the
    /// client has (`Ack`: every request below it).
    actor Window {
        var next = 0
        var outstanding: Set<Int> = []
        func take(limit: Int) -> Int? {
            guard next < limit else { return nil }
            next += 1
            outstanding.insert(next - 1)
            return next - 1
        }
        func ack() -> Int { outstanding.min() ?? next }
        func done(_ seq: Int) { outstanding.remove(seq) }
    }

    /// Client `id` appends "id.i;" to its own key for i in 0..<appends, `window` at a time, then
    /// sends one last Append acknowledging them all. Returns the server errors it got.
    static func client(_ id: Int, appends: Int, window: Int, seed: UInt64, server: RPCServer,
                       sample: @escaping @Sendable () -> Void = {}) async throws -> [String] {
        let network = SimulatedNetwork(seed: seed, faults: lossy)
        let w = Window()
        let errors = LockedBox<[String]>([])
        func send(_ seq: Int, _ value: String) async throws {
            while true {
                let args = WindowedAppendArgs(clientID: id, seq: seq, ack: await w.ack(), key: "c\(id)", value: value)
                guard let reply = await network.send("KV.Append", try JSONEncoder().encode(args), to: server) else { continue }
                if case .failure(let e) = reply { errors.withValue { $0.append("request \(seq) of client \(id): \(e)") } }
                sample()
                return
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { g in
            for _ in 0..<window {
                g.addTask {
                    while let seq = await w.take(limit: appends) {
                        try await send(seq, "\(id).\(seq);")
                        await w.done(seq)
                    }
                }
            }
            try await g.waitForAll()
        }
        _ = await w.take(limit: appends + 1)
        try await send(appends, "")
        return errors.value
    }

    /// Checks that client `id`'s key holds each of its appends exactly once.
    func assertExactlyOnce(_ kv: AtMostOnceKV, client id: Int, appends: Int, file: StaticString = #filePath, line: UInt = #line) {
        let tokens = kv.get(GetArgs(key: "c\(id)")).value.split(separator: ";").map(String.init)
        var count: [String: Int] = [:]
        for t in tokens { count[t, default: 0] += 1 }
        let twice = count.filter { $0.value > 1 }.keys.sorted()
        let lost = (0..<appends).map { "\(id).\($0)" }.filter { count[$0] == nil }
        XCTAssertTrue(twice.isEmpty, "client \(id): \(twice.count) Append(s) ran more than once, e.g. \(twice.prefix(3)): "
                      + "a resent or duplicated request must get the first reply, not run again", file: file, line: line)
        XCTAssertTrue(lost.isEmpty, "client \(id): \(lost.count) Append(s) never ran, e.g. \(lost.prefix(3))", file: file, line: line)
    }

    func testDuplicateGetsTheFirstReply() throws {
        let kv = AtMostOnceKV()
        try skipIfNotAttempted()
        func append(_ seq: Int, ack: Int, _ v: String) -> Result<AppendReply, any Error> {
            Result { try kv.append(WindowedAppendArgs(clientID: 1, seq: seq, ack: ack, key: "k", value: v)) }
        }
        XCTAssertEqual(try append(0, ack: 0, "a").get().value, "", "the first Append of a new key returns \"\"")
        XCTAssertEqual(try append(0, ack: 0, "a").get().value, "", "request 0 again: the first reply again")
        XCTAssertEqual(try append(2, ack: 0, "c").get().value, "a", "request 2 before request 1 (both in flight)")
        XCTAssertEqual(try append(1, ack: 0, "b").get().value, "ac", "request 1 after request 2")
        XCTAssertEqual(try append(2, ack: 0, "c").get().value, "a", "request 2 again: its first reply")
        XCTAssertEqual(try append(3, ack: 3, "d").get().value, "acb", "request 3, acknowledging 0, 1 and 2")
        if case .success = append(1, ack: 1, "b") {
            XCTFail("request 1 arrived again after the client acknowledged it (Ack 3): it must be rejected with an error, not run or answered")
        }
        XCTAssertEqual(kv.get(GetArgs(key: "k")).value, "acbd", "each Append ran once")
        // Copies of one request at the same moment, as a network that duplicates delivers them:
        // 3 threads (so that two run at once even when a core is busy), released together for
        // each of 5,000 requests.
        let n = 5_000
        let replies = LockedBox<[[String?]]>(Array(repeating: [nil, nil, nil], count: n))
        let outcome = onThreadsAtOnce(3, rounds: n, within: 60) { t, seq, _ in
            let args = WindowedAppendArgs(clientID: 7, seq: seq, ack: seq, key: "both", value: "\(seq);")
            let r = Result { try kv.append(args) }
            replies.withValue { $0[seq][t] = (try? r.get())?.value ?? "error: \(r)" }
        }
        guard outcome == .finished else {
            return XCTFail("3 threads sending the same request at the same moment, for 5,000 requests: \(outcome)")
        }
        let tokens = kv.get(GetArgs(key: "both")).value.split(separator: ";")
        let ranTwice = tokens.count - Set(tokens).count
        XCTAssertEqual(ranTwice, 0, "3 copies of a request arriving at the same moment, for 5,000 requests: \(ranTwice) "
                       + "ran more than once. The test for a duplicate and the recording of its reply must be one step under "
                       + "the lock, or two copies both find no reply and both run")
        let differ = replies.value.indices.filter { Set(replies.value[$0]).count > 1 }
        if ranTwice == 0, let seq = differ.first {
            XCTFail("3 copies of request \(seq) arriving at the same moment got different replies "
                    + "(\(replies.value[seq].map { String(describing: $0 ?? "none") })): a duplicate gets the first reply")
        }
        XCTAssertEqual(Set(tokens).count, n, "after 5,000 requests sent 3 times each, the key must hold each of their appends")
    }

    func testExactlyOnceOverALossyNetwork() throws {
        let kv = AtMostOnceKV()
        try skipIfNotAttempted()
        let server = serve(kv)
        let errors = try withWatchdog(60, "4 clients appending over a lossy network") {
            try await withThrowingTaskGroup(of: [String].self) { g in
                for id in 1...4 {
                    g.addTask { try await Self.client(id, appends: 150, window: 4, seed: UInt64(id), server: server) }
                }
                return try await g.reduce([], +)
            }
        }
        XCTAssertTrue(errors.isEmpty, "requests the clients still needed were answered with errors: \(errors.prefix(3))")
        for id in 1...4 { assertExactlyOnce(kv, client: id, appends: 150) }
    }

    /// The server may keep replies only for requests a client may still send again. While 4 clients
    /// send 200 Appends each it may hold a few per client (up to 100 in all is allowed); once every
    /// client has acknowledged all its requests, one per client at most (8 in all is allowed).
    func testMemoryIsBounded() throws {
        let kv = AtMostOnceKV()
        try skipIfNotAttempted()
        let server = serve(kv)
        let most = LockedBox(0)
        try withWatchdog(60, "4 clients appending over a lossy network") {
            try await withThrowingTaskGroup(of: [String].self) { g in
                for id in 1...4 {
                    g.addTask {
                        try await Self.client(id, appends: 200, window: 4, seed: UInt64(10 + id), server: server) {
                            let n = kv.remembered
                            most.withValue { $0 = max($0, n) }
                        }
                    }
                }
                return try await g.reduce([], +)
            }
        }
        XCTAssertLessThanOrEqual(most.value, 100, "the server remembered up to \(most.value) replies while 4 clients had 4 requests "
                                 + "in flight each: forget the replies below each client's Ack")
        XCTAssertLessThanOrEqual(kv.remembered, 8, "the server still remembers \(kv.remembered) replies after every client "
                                 + "acknowledged all its requests")
        // Its own count could be wrong: count the replies the object holds, from outside it.
        let held = Holdings.count(of: AppendReply.self, in: kv)
        XCTAssertLessThanOrEqual(held, 8, "after every client acknowledged all its 200 requests, the server "
                                 + "holds \(held) replies (its `remembered` says \(kv.remembered)): forget the replies below each client's Ack")
    }

    func testNoRaces() throws {
        let kv = AtMostOnceKV()
        try skipIfNotAttempted()
        let server = serve(kv)
        try checkNoRaces("the server under 4 concurrent clients") {
            try withWatchdog(60, "4 clients appending over a lossy network") {
                try await withThrowingTaskGroup(of: [String].self) { g in
                    for id in 1...4 {
                        g.addTask { try await Self.client(id, appends: 40, window: 3, seed: UInt64(20 + id), server: server) }
                    }
                    return try await g.reduce([], +)
                }
            }
            _ = kv.remembered
        }
    }
}
