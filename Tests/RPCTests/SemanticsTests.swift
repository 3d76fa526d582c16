import Foundation
import LabKit
import LabHarness
import LabRPC
import LabNet
import LabTesting
import XCTest
@testable import rpc_semantics

final class SemanticsTests: LabTestCase {
    let lossy = Faults(dropRequests: 0.3, dropReplies: 0.3, duplicateRequests: 0.2)

    func testAtMostOnceRunsEveryAppendExactlyOnceOverALossyNetwork() throws {
        let o = try withWatchdog(30, "at-most-once appends") { [lossy] in
            try await experiment("at-most-once", server: atMostOnceServer().0, appends: 300, seed: 7, faults: lossy)
        }
        XCTAssertTrue(o.exactlyOnce, "each of 300 appends must appear once, in order: \(o.executed) ran, \(o.duplicated) twice")
        XCTAssertGreaterThan(o.network.requestsDropped + o.network.repliesDropped + o.network.duplicatesDelivered, 100, "the network must misbehave")
        XCTAssertGreaterThan(o.tries, 300, "lost messages mean retries")
    }

    /// The check above must catch a server without the duplicate filter.
    func testAtMostOnceCheckCatchesAServerWithoutTheFilter() throws {
        let o = try withWatchdog(30, "plain appends") { [lossy] in
            try await experiment("no filter", server: plainServer(), appends: 300, seed: 7, faults: lossy)
        }
        XCTAssertFalse(o.exactlyOnce)
        XCTAssertGreaterThan(o.duplicated, 0, "lost replies and duplicated requests make appends run twice")
    }

    /// Memory stays bounded: one remembered request per client, however many each sends.
    func testTheFilterRemembersOneRequestPerClient() throws {
        let (server, kv) = atMostOnceServer()
        try withWatchdog(30, "three clients") { [lossy] in
            try await withThrowingTaskGroup(of: Void.self) { g in
                for id in 1...3 {
                    g.addTask {
                        let c = AtLeastOnceClient(network: SimulatedNetwork(seed: UInt64(id), faults: lossy), server: server)
                        for seq in 0..<100 {
                            let _: (AppendReply, Int) = try await c.call("KV.Append", TaggedAppendArgs(clientID: id, seq: seq, key: "k\(id)", value: "."))
                        }
                    }
                }
                try await g.waitForAll()
            }
        }
        XCTAssertEqual(kv.remembered, 3)
        for id in 1...3 {
            let r = try withWatchdog(10, "Get") {
                try JSONDecoder().decode(GetReply.self, from: await server.handle("KV.Get", JSONEncoder().encode(GetArgs(key: "k\(id)"))))
            }
            XCTAssertEqual(r.value.count, 100, "client \(id)")
        }
        XCTAssertThrowsError(try kv.append(TaggedAppendArgs(clientID: 1, seq: 5, key: "k1", value: "old"))) { error in
            XCTAssertEqual("\(error)", "stale request 5 from client 1")
        }
    }

    /// A request that reuses a (client, Seq) with other arguments is not a duplicate: it is a
    /// client that counts wrong, and it must hear so, not get the cached "OK" for an Append that
    /// never ran. A client that restarts with its old id and counts from 0 again is refused on
    /// every request until its Seq passes the server's memory: it needs a new id.
    func testAReusedSeqWithOtherArgumentsIsAnError() throws {
        let kv = AtMostOnceKV()
        for seq in 0..<6 { _ = try kv.append(TaggedAppendArgs(clientID: 1, seq: seq, key: "k", value: "\(seq);")) }
        XCTAssertEqual(try kv.append(TaggedAppendArgs(clientID: 1, seq: 5, key: "k", value: "5;")), AppendReply(err: .ok, value: "0;1;2;3;4;"),
                       "a true duplicate gets the first answer")
        XCTAssertThrowsError(try kv.append(TaggedAppendArgs(clientID: 1, seq: 5, key: "k", value: "other"))) { error in
            XCTAssertEqual("\(error)", "request 5 of client 1 was already run with other arguments; a restarted client needs a new id")
        }
        // The client restarts, keeps its id, and counts from 0 with new Appends.
        var outcomes: [String] = []
        for seq in 0..<7 {
            do {
                _ = try kv.append(TaggedAppendArgs(clientID: 1, seq: seq, key: "k", value: "new\(seq);"))
                outcomes.append("ran")
            } catch { outcomes.append(String("\(error)".prefix(5))) }
        }
        XCTAssertEqual(outcomes, ["stale", "stale", "stale", "stale", "stale", "reque", "ran"], "never a silent OK for an Append that did not run")
        XCTAssertEqual(kv.get(GetArgs(key: "k")).value, "0;1;2;3;4;5;new6;")
    }

    func testTheDemoShowsBothSemantics() throws {
        let r = try Programs.run("rpc-semantics", ["--appends", "100", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let outcomes = try JSON.decode([Outcome].self, from: r.stdout)
        XCTAssertEqual(outcomes.map(\.semantics), ["at-least-once", "at-most-once"])
        XCTAssertFalse(outcomes[0].exactlyOnce)
        XCTAssertTrue(outcomes[1].exactlyOnce)
        try Programs.assertUsageError("rpc-semantics", ["--drop-replies", "1.5"], says: "--drop-replies must be a probability from 0 to 0.95, not '1.5'")
    }
}
