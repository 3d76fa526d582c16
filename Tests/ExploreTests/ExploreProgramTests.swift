import Foundation
import LabHarness
import LabTesting
import XCTest

/// The `explore` program as a student runs it.
final class ExploreProgramTests: LabTestCase {
    func testCounterPrintsTheLecturesCount() throws {
        let r = try Programs.run("explore", ["counter"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("exhaustive, at most 2 preemptions: 6 schedules, the whole bounded space"), r.stdout)
        XCTAssertTrue(r.stdout.contains(#/n = 1\s+4\s/#), r.stdout)
        XCTAssertTrue(r.stdout.contains(#/n = 2\s+2\s/#), r.stdout)
        XCTAssertTrue(r.stdout.contains("race"), r.stdout)
    }

    func testListNamesEveryScenarioOnALine() throws {
        let r = try Programs.run("explore", ["--list"])
        XCTAssertEqual(r.status, 0)
        let names = r.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(names, ["counter", "vote-racy", "vote-spin", "vote-mutex", "vote-cond", "vote-cond-if", "vote-cond-signal",
                               "vote-channel", "deadlock", "crawl-nolock"])
        let json = try Programs.run("explore", ["--list", "--json"])
        XCTAssertTrue(json.stdout.hasPrefix("["), json.stdout)
    }

    /// The same name printed twice gives the same bytes twice, and the table has a column per thread.
    func testReplayPrintsTheSameTableEveryTime() throws {
        let a = try Programs.run("explore", ["counter", "--replay", "1.2.1"])
        let b = try Programs.run("explore", ["counter", "--replay", "1.2.1"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertTrue(a.stdout.contains("main"), a.stdout)
        XCTAssertTrue(a.stdout.contains("t1") && a.stdout.contains("t2"), a.stdout)
        XCTAssertTrue(a.stdout.contains("outcome: n = 1"), a.stdout)
        XCTAssertTrue(a.stdout.contains("race: data race on n"), a.stdout)
    }

    func testReplayDrawsAnSVG() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("explore-\(getpid()).svg")
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try Programs.run("explore", ["deadlock", "--replay", "1.2", "--svg", file.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let svg = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg"), svg)
        XCTAssertTrue(svg.contains("deadlock"), svg)
    }

    /// A script of choices on standard input plays the scheduler and reaches the goal.
    func testPlayDrivenByAScriptReachesTheGoal() throws {
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("explore"), ["counter", "--play"], input: Data("1\n2\n1\n".utf8))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Goal reached: make n end at 1. Your schedule is 1.2.1"), r.stdout)
        let deadlocked = try Subprocess.run(Programs.directory.appendingPathComponent("explore"), ["deadlock", "--play"], input: Data("1\n2\n".utf8))
        XCTAssertTrue(deadlocked.stdout.contains("Goal reached: deadlock both threads"), deadlocked.stdout)
    }

    func testPlayWithItsInputClosedStopsWithAMessage() throws {
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("explore"), ["counter", "--play"], input: Data("".utf8))
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "explore: stopped: the input ended before the schedule did\n")
    }

    func testBadInputGetsOneLineTheUsageAndExitTwo() throws {
        try Programs.assertUsageError("explore", ["nosuch"], says: "no scenario 'nosuch'")
        try Programs.assertUsageError("explore", [], says: "name a scenario")
        try Programs.assertUsageError("explore", ["counter", "--replay", "1.7"], says: "it picks thread 7, which cannot run")
        try Programs.assertUsageError("explore", ["counter", "--replay", "x"], says: "is not a schedule's name")
        try Programs.assertUsageError("explore", ["counter", "--strategy", "bfs"], says: "--strategy must be one of")
        try Programs.assertUsageError("explore", ["counter", "--preemptions", "-1"], says: "--preemptions")
    }

    /// On a terminal, --step waits for Enter between rows; piped, it prints them all.
    func testStepWaitsForEnterOnATerminalOnly() throws {
        let piped = try Programs.run("explore", ["counter", "--replay", "1.2.1", "--step"])
        XCTAssertTrue(piped.stdout.contains("[11/11]"), "piped: every row without waiting: \(piped.stdout)")
        let r = try Programs.runOnTerminal("explore", ["counter", "--replay", "1.2.1", "--step"], input: "\n\nq\n")
        XCTAssertFalse(r.timedOut, "explore --step never finished")
        XCTAssertTrue(r.stdout.contains("Press Enter"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[3/11]"), "Enter twice shows the third row: \(r.stdout)")
        XCTAssertFalse(r.stdout.contains("[4/11]"), "q at the third row stops")
    }
}
