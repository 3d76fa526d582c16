import Foundation
import LabKit
import LabHarness
import LabTesting
import VoteStream
import XCTest

/// Exercise 4, `Exercises/04-vote-stream`: the points of each check are in its `exercise.json`.
/// The outcome is judged by `DecisionRule.certain`; `nil` is right only when the outcome was not
/// certain by the deadline.
final class VoteStreamChecks: ExerciseCase {
    /// One election under the watchdog: the harness's verdict, and what `election` returned.
    func elect(_ plan: ElectionPlan, deadline: Duration) throws -> (ElectionResult, Bool?) {
        let ran = try Self.run(plan, deadline: deadline)
        try skipIfNotAttempted()
        return ran
    }

    /// The election of `elect`, judged by nothing: it touches no state of the check's, so that
    /// two may run at once.
    static func run(_ plan: ElectionPlan, deadline: Duration) throws -> (ElectionResult, Bool?) {
        let got = LockedBox<Bool??>(nil)
        // An election takes 100 ms at most, and the harness 0.4 s more: 5 s is a hang.
        let r = try withWatchdog(5, "election(seed \(plan.seed), deadline \(ms(deadline)))") {
            await Election.run(plan, style: .group, rule: .certain) { e in
                let outcome = await VoteStream.election(e, deadline: deadline)
                got.set(outcome)
                return outcome ?? false
            }.0
        }
        return (r, got.value ?? nil)
    }

    /// What is wrong with one election's answer, given its deadline; nil when it was right.
    static func wrong(_ r: ElectionResult, _ got: Bool?, _ plan: ElectionPlan, deadline: Duration) -> String? {
        let what = "\(VoteCheck.what(plan)), deadline \(ms(deadline)) (\(VoteCheck.story(plan, rule: .certain)))"
        let deadlineMs = deadline.milliseconds
        guard let got else {
            if r.ruleHeldMs <= deadlineMs {
                return "\(what): returned nil at \(fixed(r.decidedMs)) ms, but the outcome was certain at "
                    + "\(fixed(r.ruleHeldMs)) ms, before the deadline"
            }
            if r.decidedMs < deadlineMs - 1 {
                return "\(what): gave up at \(fixed(r.decidedMs)) ms, before the deadline"
            }
            return nil
        }
        if r.decidedMs < r.ruleHeldMs {
            return "\(what): returned \(got) at \(fixed(r.decidedMs)) ms, before the outcome was certain "
                + "(at \(fixed(r.ruleHeldMs)) ms)" + (r.ruleHeldMs > deadlineMs ? "; by the deadline it was not, so nil was due" : "")
        }
        if got != plan.won { return "\(what): returned \(got), but the votes say \(plan.won)" }
        return nil
    }

    static func ms(_ d: Duration) -> String { "\(Int(d.milliseconds)) ms" }

    /// When the answer was due: the moment the outcome was certain, or the deadline.
    func dueMs(_ r: ElectionResult, deadline: Duration) -> Double { min(r.ruleHeldMs, deadline.milliseconds) }


    /// 24 elections, two at a time (`twoAtATime`): with a deadline of 1 s, far beyond any of
    /// them, each is judged by its outcome alone.
    func testDecidesCorrectly() throws {
        let plans = (UInt64(1)...20).map { ElectionPlan(seed: $0) }
            + [(1, 1, 5), (3, 3, 6), (20, 1, 7), (20, 20, 8)].map { ElectionPlan(voters: $0, needed: $1, seed: UInt64($2)) }
        let ran = twoAtATime(plans) { try Self.run($0, deadline: .seconds(1)) }
        try skipIfNotAttempted()
        for (plan, result) in ran {
            let (r, got) = try result.get()
            if let p = Self.wrong(r, got, plan, deadline: .seconds(1)) { XCTFail(p) }
        }
    }

    /// A 50 ms deadline: elections not certain by then must end with nil at the deadline (within
    /// 20 ms); elections certain before it must still give their outcome.
    func testGivesUpAtTheDeadline() throws {
        let deadline = Duration.milliseconds(50)
        for seed in VoteSeeds.certain(before: false, deadlineMs: 50).prefix(4) + VoteSeeds.certain(before: true, deadlineMs: 50).prefix(2) {
            let plan = ElectionPlan(seed: seed)
            let (r, got) = try elect(plan, deadline: deadline)
            if let p = Self.wrong(r, got, plan, deadline: deadline) { return XCTFail(p + "; this check counts only answers that are right") }
            let late = r.decidedMs - dueMs(r, deadline: deadline)
            if late > 20 {
                XCTFail("\(VoteCheck.what(plan)), deadline 50 ms: returned \(got.map(String.init) ?? "nil") at \(fixed(r.decidedMs)) ms, "
                        + "\(fixed(late)) ms after it was due" + (got == nil ? ": give up at the deadline, not when the voters are done"
                                                                    : r.ruleHeldMs > 50 ? ": the outcome was not certain by the deadline, "
                                                                        + "so nil was due then" : ""))
            }
        }
    }

    /// The outcome must come within 20 ms of the vote that made it certain, won or lost.
    func testDecidesPromptly() throws {
        for won in [true, false] {
            for seed in VoteSeeds.slowStragglers(rule: .certain, won: won, upTo: 300).prefix(3) {
                let plan = ElectionPlan(seed: seed)
                let (r, got) = try elect(plan, deadline: .seconds(1))
                if let p = Self.wrong(r, got, plan, deadline: .seconds(1)) { return XCTFail(p + "; this check counts only answers that are right") }
                if r.latencyMs > 20 {
                    XCTFail("\(VoteCheck.what(plan)) (\(VoteCheck.story(plan, rule: .certain))): returned \(fixed(r.latencyMs)) ms "
                            + "after the outcome was certain" + (won ? "" : ": a loss is certain once more than \(plan.voters - plan.needed) said no"))
                }
            }
        }
    }

    /// When `election` returns, every voter has answered or been cancelled: decided, or given up.
    func testLeavesNothingBehind() throws {
        let cases = VoteSeeds.slowStragglers(rule: .certain, won: true, upTo: 300).prefix(3).map { ($0, Duration.seconds(1)) }
            + VoteSeeds.certain(before: false, deadlineMs: 50).prefix(2).map { ($0, Duration.milliseconds(50)) }
        for (seed, deadline) in cases {
            let plan = ElectionPlan(seed: seed)
            let (r, got) = try elect(plan, deadline: deadline)
            if let p = Self.wrong(r, got, plan, deadline: deadline) {
                XCTFail(p + "; this check counts only answers that are right")
            } else if r.leftBehind > 0 {
                XCTFail("\(VoteCheck.what(plan)), deadline \(Self.ms(deadline)): \(counted(r.leftBehind, "voter")) still running when "
                        + "election returned \(got.map(String.init) ?? "nil"): cancel the voters you no longer need, and wait for them to stop")
            }
        }
    }

    func testNoRaces() throws {
        try checkNoRaces("election") {
            for seed in UInt64(1)...5 {
                let plan = ElectionPlan(seed: seed)
                let (r, got) = try elect(plan, deadline: .seconds(1))
                if let p = Self.wrong(r, got, plan, deadline: .seconds(1)) { XCTFail(p + "; this check counts only answers that are right") }
            }
        }
    }
}
