import Foundation
import LabKit
import LabHarness
import LabTesting
import VoteStream
import XCTest

/// Exercise 4, `Exercises/04-vote-stream`: the points of each check are in its `exercise.json`.
final class VoteStreamChecks: ExerciseCase {
    func elect(_ plan: ElectionPlan) throws -> ElectionResult {
        let r = try withWatchdog(10, "election(seed \(plan.seed))") {
            await Election.run(plan, style: .group) { await VoteStream.election($0) }.0
        }
        try skipIfNotAttempted()
        return r
    }

    func testDecidesCorrectly() throws {
        let plans = (UInt64(1)...20).map { ElectionPlan(seed: $0) }
            + [(1, 1, 5), (3, 3, 6), (20, 1, 7), (20, 20, 8)].map { ElectionPlan(voters: $0, needed: $1, seed: UInt64($2)) }
        for plan in plans {
            if let p = VoteCheck.wrongDecision(try elect(plan), plan) { XCTFail(p) }
        }
    }

    /// Main must decide within 20 ms of the deciding vote, not when the last voter answers.
    func testDecidesPromptly() throws {
        for seed in VoteSeeds.slowStragglers.prefix(6) {
            let plan = ElectionPlan(seed: seed)
            if let p = VoteCheck.notPrompt(try elect(plan), plan, did: "decided", hint: "are you waiting for every voter?") { XCTFail(p) }
        }
    }

    /// When `election` returns, every voter has answered or been cancelled, and nothing is unread.
    func testLeavesNothingBehind() throws {
        for seed in VoteSeeds.slowStragglers.prefix(5) {
            let plan = ElectionPlan(seed: seed)
            let r = try elect(plan)
            if let p = VoteCheck.unearned(r, plan) {
                XCTFail(p)
            } else if r.leftBehind > 0 {
                XCTFail("\(VoteCheck.what(plan)): \(counted(r.leftBehind, "voter")) still running when election returned: "
                        + "cancel the voters you no longer need, and wait for them to stop")
            }
        }
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
