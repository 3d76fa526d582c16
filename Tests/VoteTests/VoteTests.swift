import Foundation
import LabKit
import LabHarness
import LabTesting
import XCTest

let longWaits = VoteSeeds.longWaits
let slowStragglers = VoteSeeds.slowStragglers

final class VoteTests: LabTestCase {
    /// Never before the rule allows, always the answer the votes give, and never later than the
    /// design allows: a few ms for all but vote-sleep, 50 ms (its sleep) for vote-sleep.
    func testEverySynchronizedVariantDecidesCorrectlyOnManySeeds() throws {
        for v in VoteVariant.correct {
            for seed in UInt64(1)...25 {
                let r = try v.run(ElectionPlan(seed: seed))
                XCTAssertFalse(r.early, "\(v.name), seed \(seed): decided at \(r.decidedMs) ms, before the deciding vote at \(r.ruleHeldMs) ms")
                XCTAssertEqual(r.won, r.shouldWin, "\(v.name), seed \(seed): the votes say \(r.shouldWin ? "won" : "lost")")
                XCTAssertLessThanOrEqual(r.latencyMs, v.allowedLatencyMs, "\(v.name), seed \(seed): noticed the deciding vote \(r.latencyMs) ms late")
            }
        }
    }

    func testOtherElectionSizes() throws {
        for (voters, needed) in [(1, 1), (3, 3), (20, 1), (20, 20)] {
            for v in VoteVariant.correct {
                let r = try v.run(ElectionPlan(voters: voters, needed: needed, seed: 99))
                XCTAssertTrue(r.correct, "\(v.name) with \(voters) voters, \(needed) needed")
            }
        }
    }

    /// CPU while waiting, measured over elections whose deciding vote comes after 40 ms: the spin
    /// burns most of a core, the condition variable and the channel almost nothing.
    func testSpinBurnsACoreWhileWaitingAndTheOthersDoNot() throws {
        let seeds = Array(longWaits.prefix(4))
        XCTAssertEqual(seeds.count, 4)
        func cpuShare(_ v: VoteVariant) throws -> Double {
            let rs = try seeds.map { try v.run(ElectionPlan(seed: $0)) }
            return rs.map(\.cpuMs).reduce(0, +) / rs.map(\.decidedMs).reduce(0, +)
        }
        for v in [VoteVariant.cond, .channel, .group] {
            let share = try cpuShare(v)
            XCTAssertLessThan(share, 0.3, "\(v.name) used \(Int(share * 100))% of a core while waiting: is it busy-waiting?")
        }
        let spin = try cpuShare(.spin)
        XCTAssertGreaterThan(spin, 0.5, "the busy-wait check must catch vote-spin: it used only \(Int(spin * 100))% of a core")
    }

    func testGroupLeavesNothingBehindAndChannelDoes() throws {
        for seed in longWaits.prefix(5) {
            let g = try VoteVariant.group.run(ElectionPlan(seed: seed))
            XCTAssertEqual(g.leftBehind, 0, "vote-group, seed \(seed): voters left running or unread")
        }
        let left = try longWaits.prefix(5).map { try VoteVariant.channel.run(ElectionPlan(seed: $0)).leftBehind }
        XCTAssertGreaterThan(left.reduce(0, +), 0, "vote-channel stops reading early: the leak check must see it")
    }

    func testGroupThatForgetsToCancelIsCaught() throws {
        let forgetful = VoteVariant.tasks("group without cancelAll", .group, 20) { await groupThatForgetsToCancel($0) }
        var caught: [String] = []
        for seed in slowStragglers.prefix(3) {
            let r = try forgetful.run(ElectionPlan(seed: seed))
            if r.latencyMs > forgetful.allowedLatencyMs { caught.append("seed \(seed): \(fixed(r.latencyMs)) ms late") }
        }
        XCTAssertEqual(caught.count, 3, "a group that waits for every voter must be caught deciding late: \(caught)")
        for seed in slowStragglers.prefix(3) {
            let r = try VoteVariant.group.run(ElectionPlan(seed: seed))
            XCTAssertLessThanOrEqual(r.latencyMs, VoteVariant.group.allowedLatencyMs, "vote-group itself, seed \(seed)")
        }
    }

    /// vote-racy runs as a program (built with ThreadSanitizer in this pass), which counts its own
    /// race reports; the synchronized variants run here, under the race check.
    func testRaceCheckCatchesTheRacyVariantOnly() throws {
        try RaceCheck.requireThreadSanitizer()
        let r = try Programs.run("vote-racy", ["--seed", "1", "--elections", "5", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try JSON.decode(VoteReport.self, from: r.stdout)
        let races = report.elections.compactMap(\.races).reduce(0, +)
        XCTAssertGreaterThan(races, 0, "the race check missed vote-racy's unsynchronized count and finished")
        for v in VoteVariant.correct {
            try XCTAssertNoRaces(v.name) {
                for seed in UInt64(1)...3 { _ = try v.run(ElectionPlan(seed: seed)) }
            }
        }
    }

    /// Without ThreadSanitizer the race is still there: the program runs, and says what it decided.
    func testRacyProgramRunsAndNeverHangsTheRun() throws {
        let r = try Programs.run("vote-racy", ["--seed", "1", "--elections", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try JSON.decode(VoteReport.self, from: r.stdout)
        XCTAssertFalse(report.elections.isEmpty)
        XCTAssertTrue(report.elections.dropLast().allSatisfy { !$0.hung }, "a run stops at its first hung election")
    }

    /// A main that never decides is reported as hung soon after the last vote instead of hanging
    /// the run. Fixture: main waits on a condition variable that no voter ever broadcasts.
    func testAnElectionThatNeverDecidesIsReportedHung() throws {
        let plan = ElectionPlan(seed: 1)
        let r = try withWatchdog(10, "a main that never decides", onThread: { () -> ElectionResult in
            Election.run(plan, style: .threads) { e in
                let cond = e.makeCondition()
                cond.lock()
                while true { cond.wait() }  // a lost wake-up: nobody broadcasts
            }.0
        })
        XCTAssertTrue(r.hung, "the election must be reported hung")
        XCTAssertFalse(r.correct)
        let slowest = Double(plan.ballots.map(\.delayMs).max()!)
        XCTAssertGreaterThanOrEqual(r.decidedMs, slowest + Election.patience.milliseconds - 1, "given up only after the patience")
    }

    func testPlansAreRepeatable() {
        XCTAssertEqual(ElectionPlan(seed: 42), ElectionPlan(seed: 42))
        XCTAssertNotEqual(ElectionPlan(seed: 42).ballots, ElectionPlan(seed: 43).ballots)
        XCTAssertTrue(ElectionPlan(seed: 42).ballots.allSatisfy { (0..<100).contains($0.delayMs) })
        XCTAssertEqual(ElectionPlan.decidingIndex([true, false, true, true], needed: 3, voters: 4), 3)
        XCTAssertEqual(ElectionPlan.decidingIndex([false, false], needed: 2, voters: 2), 1)
        XCTAssertEqual(ElectionPlan.decidingIndex([true, true, false], needed: 2, voters: 3), 1)
    }
}

final class VoteProgramTests: LabTestCase {
    static let programs = ["vote-racy", "vote-spin", "vote-sleep", "vote-cond", "vote-channel", "vote-group"]

    func testEachProgramPrintsTheLecturesVerdict() throws {
        let plan = ElectionPlan(seed: 3)
        for name in Self.programs.dropFirst() {
            let r = try Programs.run(name, ["--seed", "3"])
            XCTAssertEqual(r.status, 0, name)
            XCTAssertEqual(r.stdout.split(separator: "\n").first.map(String.init), plan.won ? "received 5+ votes!" : "lost", name)
            XCTAssertTrue(r.stdout.contains("seed 3: decided at"), name)
        }
    }

    func testTraceHasARowPerParticipantAndMarksTheDecision() throws {
        let r = try Programs.run("vote-cond", ["--seed", "3", "--trace"])
        let rows = r.stdout.split(separator: "\n").map(String.init)
        let main = try XCTUnwrap(rows.first { $0.hasPrefix("main ") })
        XCTAssertTrue(main.contains("D"), main)
        XCTAssertTrue(main.contains("!"), "main is woken by broadcasts: \(main)")
        for i in 0..<10 { XCTAssertTrue(rows.contains { $0.hasPrefix("voter \(i) ") }, "voter \(i)") }
        let spin = try Programs.run("vote-spin", ["--seed", "3", "--trace"]).stdout
        XCTAssertTrue(spin.split(separator: "\n").first { $0.hasPrefix("main ") }!.contains("#"), "spinning shows as #")
    }

    /// `vote VARIANT --step` on a terminal waits for Enter at each event, as the variant run
    /// directly does. (It ran the variant as a child in the terminal's background, whose reads
    /// failed, and printed every step at once.) `script` gives the program a terminal.
    func testStepOnATerminalWaitsForEnter() throws {
        let r = try Programs.runOnTerminal("vote", ["sleep", "--seed", "3", "--step"], input: "\n\nq\n")
        XCTAssertFalse(r.timedOut, "vote sleep --step never finished")
        XCTAssertTrue(r.stdout.contains("Press Enter"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[3/"), "Enter twice shows the third event: \(r.stdout)")
        XCTAssertFalse(r.stdout.contains("[4/"), "q at the third event stops: every step was printed without waiting")
    }

    /// A variant that cannot run is not the user's mistake: one line and exit 1, no usage.
    func testAVariantThatCannotRunIsNotAUsageError() throws {
        let alone = FileManager.default.temporaryDirectory.appendingPathComponent("lab-vote-alone-\(getpid())")
        try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: alone) }
        try FileManager.default.copyItem(at: Programs.directory.appendingPathComponent("vote"), to: alone.appendingPathComponent("vote"))
        let r = try Subprocess.run(alone.appendingPathComponent("vote"), ["--compare", "--elections", "1"],
                                   environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TSAN_") })
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "vote: error: vote-racy is not built next to vote; run `swift build` first\n")
    }

    func testStepWithoutATerminalPrintsEveryStepWithoutWaiting() throws {
        let r = try Programs.run("vote-group", ["--seed", "3", "--step"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("[1/"), r.stdout)
        XCTAssertTrue(r.stdout.contains("main      decides: lost"), r.stdout)
        XCTAssertFalse(r.stdout.contains("Press Enter"))
    }

    func testCompareRunsEveryVariantOnTheSameSeeds() throws {
        let r = try Programs.run("vote", ["--compare", "--elections", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let reports = try JSON.decode([VoteReport].self, from: r.stdout)
        XCTAssertEqual(reports.map(\.variant), Self.programs)
        for report in reports where report.variant != "vote-racy" {
            XCTAssertEqual(report.elections.map(\.seed), [1, 2, 3], report.variant)
            XCTAssertTrue(report.elections.allSatisfy(\.correct), report.variant)
        }
        // vote-racy may lose an update and never decide: its run then stops at that election.
        let racy = reports[0].elections
        XCTAssertEqual(racy.map(\.seed), Array([1, 2, 3].prefix(racy.count)))
        if racy.count < 3 { XCTAssertTrue(racy.last!.hung, "a shorter run must end in a hung election") }
        let table = try Programs.run("vote", ["--compare", "--elections", "2"]).stdout
        for name in Self.programs { XCTAssertTrue(table.contains(name), name) }
        XCTAssertTrue(table.contains("vote-racy has a data race"), "the table must not let a lucky racy run pass for correct")
    }

    func testHelpOnEveryProgram() throws {
        for name in Self.programs + ["vote"] {
            let r = try Programs.run(name, ["--help"])
            XCTAssertEqual(r.status, 0, name)
            XCTAssertTrue(r.stdout.contains("USAGE: \(name) [options]"), name)
        }
    }

    func testBadInputGetsOneLineTheUsageAndExitTwo() throws {
        for name in ["vote-cond", "vote-group"] {
            try Programs.assertUsageError(name, ["--voters", "0"], says: "--voters must be at least 1, not 0")
            try Programs.assertUsageError(name, ["--needed", "11"], says: "--needed 11 is more than --voters 10")
            try Programs.assertUsageError(name, ["--seed", "x"], says: "--seed must be a whole number, not 'x'")
            try Programs.assertUsageError(name, ["--trace", "--elections", "3"], says: "--trace and --step show one election")
            try Programs.assertUsageError(name, ["--bogus"], says: "unknown option '--bogus'")
        }
        try Programs.assertUsageError("vote", [], says: "name a variant")
        try Programs.assertUsageError("vote", ["fast", "--trace"], says: "unknown variant 'fast'")
        try Programs.assertUsageError("vote", ["--needed", "11", "--compare"], says: "--needed 11 is more than --voters 10")
        try Programs.assertUsageError("vote", ["cond", "sleep"], says: "unexpected argument 'sleep'")
    }
}
