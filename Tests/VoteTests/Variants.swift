import LabKit
import LabHarness
import LabTesting
@testable import vote_channel
@testable import vote_cond
@testable import vote_group
@testable import vote_sleep
@testable import vote_spin

/// The vote programs' elections, called as their `main.swift` calls them, each under a watchdog.
/// vote-racy is not here: after a lost update its main spins forever, and a spinning thread in the
/// test process would burn a core for the rest of the suite. It is tested as a program instead.
struct VoteVariant: Sendable {
    var name: String
    /// How late after the deciding vote this design may notice it, by design (plus scheduling slack).
    var allowedLatencyMs: Double
    var run: @Sendable (ElectionPlan) throws -> ElectionResult

    static func threads(_ name: String, _ latency: Double, _ body: @escaping @Sendable (Election) -> Bool) -> VoteVariant {
        VoteVariant(name: name, allowedLatencyMs: latency) { plan in
            try withWatchdog(10, "\(name), seed \(plan.seed)", onThread: { Election.run(plan, style: .threads, body).0 })
        }
    }

    static func tasks(_ name: String, _ style: VoteStyle, _ latency: Double,
                      _ body: @escaping @Sendable (Election) async -> Bool) -> VoteVariant {
        VoteVariant(name: name, allowedLatencyMs: latency) { plan in
            try withWatchdog(10, "\(name), seed \(plan.seed)") { await Election.run(plan, style: style, body).0 }
        }
    }

    /// A spinning main holds the lock almost all the time, and pthread mutexes are not fair: the
    /// voter with the deciding vote must win the lock from it. Measured here under ThreadSanitizer
    /// on 2 cores: up to 24 ms. Spinning starves the threads it waits for.
    static let spin = threads("vote-spin", 50) { vote_spin.election($0) }
    static let sleep = threads("vote-sleep", 50 + 20) { vote_sleep.election($0) }
    static let cond = threads("vote-cond", 20) { vote_cond.election($0) }
    static let channel = tasks("vote-channel", .channel, 20) { await vote_channel.election($0) }
    static let group = tasks("vote-group", .group, 20) { await vote_group.election($0) }

    /// Every variant that synchronizes (all but vote-racy).
    static let correct = [spin, sleep, cond, channel, group]
}
