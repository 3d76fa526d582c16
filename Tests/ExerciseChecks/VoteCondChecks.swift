import Foundation
import LabKit
import LabHarness
import LabTesting
import VoteCond
import XCTest

/// Exercise 3, `Exercises/03-vote-cond`: the points of each check are in its `exercise.json`.
final class VoteCondChecks: ExerciseCase {
    /// One election of the student's `election`, main on a Thread of its own under a watchdog.
    /// A main that never decides ends the check at once: one hang is the verdict.
    func elect(_ plan: ElectionPlan) throws -> ElectionResult {
        let r = try withWatchdog(10, "election(seed \(plan.seed))", onThread: {
            Election.run(plan, style: .threads) { VoteCond.election($0) }.0
        })
        try skipIfNotAttempted()
        if r.hung {
            throw Hung(description: "election with \(plan.voters) voters, \(plan.needed) needed, seed \(plan.seed): main never "
                       + "decided; it was still waiting 2 s after the last voter answered (a deadlock, or a lost wake-up)")
        }
        return r
    }

    struct Hung: Error, CustomStringConvertible {
        var description: String
    }

    func testDecidesCorrectly() throws {
        for seed in UInt64(1)...20 {
            let plan = ElectionPlan(seed: seed)
            if let p = VoteCheck.wrongDecision(try elect(plan), plan) { XCTFail(p) }
        }
    }

    func testOtherElectionSizes() throws {
        for (voters, needed, seed) in [(1, 1, 5), (3, 3, 6), (20, 1, 7), (20, 20, 8), (7, 4, 9)] {
            let plan = ElectionPlan(voters: voters, needed: needed, seed: UInt64(seed))
            if let p = VoteCheck.wrongDecision(try elect(plan), plan) { XCTFail(p) }
        }
    }

    /// Main must notice the deciding vote at once: within 20 ms (a condition variable takes well
    /// under 1 ms; a loop that sleeps between checks takes as long as it sleeps).
    func testDecidesPromptly() throws {
        for seed in VoteSeeds.slowStragglers.prefix(6) {
            let plan = ElectionPlan(seed: seed)
            if let p = VoteCheck.notPrompt(try elect(plan), plan, did: "main noticed it") { XCTFail(p) }
        }
    }

    /// While main waits it must sleep: over elections that take 40 ms or more to decide, the
    /// process may use at most 30% of one core.
    func testDoesNotBusyWait() throws {
        let plans = VoteSeeds.longWaits.prefix(4).map { ElectionPlan(seed: $0) }
        let rs = try plans.map { try elect($0) }
        for (r, plan) in zip(rs, plans) {
            if let p = VoteCheck.unearned(r, plan) { return XCTFail(p) }
        }
        let share = rs.map(\.cpuMs).reduce(0, +) / max(rs.map(\.decidedMs).reduce(0, +), 1)
        XCTAssertLessThan(share, 0.3, "the election used \(Int(share * 100))% of a core while main waited: "
                          + "main is checking in a loop instead of sleeping until a vote arrives")
    }

    func testNoRaces() throws {
        try checkNoRaces("election") {
            for seed in UInt64(1)...5 {
                let plan = ElectionPlan(seed: seed)
                if let p = VoteCheck.unearned(try elect(plan), plan) { XCTFail(p) }
            }
        }
    }
}
