import Foundation
import LabKit
import LabHarness
import LabNet
import LabRPC

let tool = Tool(
    name: "rpc-semantics",
    summary: "Many Appends over a lossy network: what at-least-once and at-most-once make of them.",
    options: [
        .value("--appends", "N", "Appends to send.", default: "200"),
        .value("--drop-requests", "P", "Probability that a request is lost.", default: "0.2"),
        .value("--drop-replies", "P", "Probability that a reply is lost.", default: "0.2"),
        .value("--duplicate", "P", "Probability that the network delivers a request twice.", default: "0.1"),
        .value("--seed", "N", "Seed of the network's choices.", default: "1"),
        .flag("--json", "Print the outcomes as JSON."),
    ],
    discussion: """
        The client retries every Append until it gets a reply (at-least-once). Against a server
        that runs whatever arrives, a lost reply or a duplicated request makes an Append run twice.
        Against a server with a duplicate filter (at-most-once), each runs once: exactly once, together.
        """)

func probability(_ f: Flags, _ name: String) throws -> Double {
    guard let p = Double(f.string(name)!), (0...0.95).contains(p) else {
        throw UsageError("\(name) must be a probability from 0 to 0.95, not '\(f.string(name)!)'")
    }
    return p
}

await tool.main { f in
    let appends = try f.int("--appends", min: 1, max: 100_000)
    let faults = Faults(dropRequests: try probability(f, "--drop-requests"), dropReplies: try probability(f, "--drop-replies"),
                        duplicateRequests: try probability(f, "--duplicate"))
    let seed = UInt64(try f.int("--seed"))
    let outcomes = [
        try await experiment("at-least-once", server: plainServer(), appends: appends, seed: seed, faults: faults),
        try await experiment("at-most-once", server: atMostOnceServer().0, appends: appends, seed: seed, faults: faults),
    ]
    if f.has("--json") {
        print(JSON.encode(outcomes))
        return
    }
    print("\(appends) Appends; requests lost \(Int(faults.dropRequests * 100))%, replies lost \(Int(faults.dropReplies * 100))%, "
          + "requests duplicated \(Int(faults.duplicateRequests * 100))%:\n")
    var t = Table(["semantics", "appends", "tries", "req lost", "reply lost", "dup delivered", "ran", "ran twice", "exactly once"])
    for o in outcomes {
        t.add([o.semantics, grouped(o.appends), grouped(o.tries), grouped(o.network.requestsDropped), grouped(o.network.repliesDropped),
               grouped(o.network.duplicatesDelivered), grouped(o.executed), grouped(o.duplicated), o.exactlyOnce ? "yes" : "no"])
    }
    print(t.render(), terminator: "")
}
