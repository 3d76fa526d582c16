import Foundation
import LabKit
import LabHarness
import LabTesting
import XCTest

/// A test that crashes on purpose, only when `LAB_CRASH_FIXTURE=1`: the fixture of the test below.
final class CrashFixture: XCTestCase {
    func testCrashes() {
        guard ProcessInfo.processInfo.environment["LAB_CRASH_FIXTURE"] == "1" else { return }
        UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1
    }
}

/// A test that races where it does not expect to, only when `LAB_RACE_FIXTURE` is set: with
/// `limit`, while the process has no descriptor free (as a server under a flood of connections).
final class RaceFixture: LabTestCase {
    final class Unlocked: @unchecked Sendable { var n = 0 }

    func testRacesUnexpectedly() {
        guard let mode = ProcessInfo.processInfo.environment["LAB_RACE_FIXTURE"] else { return }
        var held: [Int32] = []
        var saved = rlimit()
        if mode == "limit" {
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved)
            var low = saved
            low.rlim_cur = min(saved.rlim_cur, 256)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &low)
            while case let fd = open("/dev/null", O_RDONLY), fd >= 0 { held.append(fd) }
        }
        defer {
            held.forEach { close($0) }
            if mode == "limit" { setrlimit(Int32(RLIMIT_NOFILE.rawValue), &saved) }
        }
        let shared = Unlocked()
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread.start(named: "racer") {
                for _ in 0..<1000 { shared.n += 1 }
                done.signal()
            }
        }
        done.wait()
        done.wait()
    }
}

final class TestRunTests: LabTestCase {
    /// A run that crashed must fail, in both passes. Under ThreadSanitizer a crash is caught and
    /// reported by it, and the process exits with its exit code: set to 0 so that races (which
    /// the tests count themselves) would not fail the run, it made a crash look like a pass.
    func testACrashFailsTheRun() throws {
        let r = try Subprocess.run(URL(fileURLWithPath: CommandLine.arguments[0]), ["LabKitTests.CrashFixture/testCrashes"],
                                   environment: ProcessInfo.processInfo.environment.merging(["LAB_CRASH_FIXTURE": "1"]) { $1 },
                                   timeout: .seconds(60))
        XCTAssertNotEqual(r.status, 0, "a test run that crashed exited 0: \(r.stderr.suffix(300))")
    }

    /// ThreadSanitizer's reports go to a file, not to the log: a passing run does not print the
    /// reports the tests expect. A report a test did not expect fails it, with the report (both
    /// accesses and their stacks) in the failure message.
    func testAnUnexpectedRaceFailsItsTestWithTheReport() throws {
        try RaceCheck.requireThreadSanitizer()
        let r = try Subprocess.run(URL(fileURLWithPath: CommandLine.arguments[0]), ["LabKitTests.RaceFixture/testRacesUnexpectedly"],
                                   environment: ProcessInfo.processInfo.environment.merging(["LAB_RACE_FIXTURE": "anywhere"]) { $1 },
                                   timeout: .seconds(60))
        XCTAssertNotEqual(r.status, 0, "the racing fixture passed")
        let out = r.stdout + r.stderr
        XCTAssertTrue(out.contains("unexpected ThreadSanitizer race report(s); the first:"), String(out.suffix(500)))
        XCTAssertTrue(out.contains("WARNING: ThreadSanitizer:") && out.contains("CrashFixture.swift:"),
                      "the failure shows the report, with the fixture's lines: \(out.suffix(800))")
        XCTAssertEqual(out.components(separatedBy: "WARNING: ThreadSanitizer").count - 1, 1, "the report is shown once, in the failure, not also in the log")
    }

    /// A process at its descriptor limit keeps its reports and keeps running: ThreadSanitizer
    /// opened its log at the first report, and ended a process that could not ("Can't open file",
    /// exit 66), as it ended a server of the lab's under a flood of connections in CI.
    func testARaceAtTheDescriptorLimitIsReportedAndTheProcessLives() throws {
        try RaceCheck.requireThreadSanitizer()
        let r = try Subprocess.run(URL(fileURLWithPath: CommandLine.arguments[0]), ["LabKitTests.RaceFixture/testRacesUnexpectedly"],
                                   environment: ProcessInfo.processInfo.environment.merging(["LAB_RACE_FIXTURE": "limit"]) { $1 },
                                   timeout: .seconds(60))
        let out = r.stdout + r.stderr
        XCTAssertFalse(out.contains("Can't open file"), String(out.suffix(500)))
        XCTAssertTrue(out.contains("unexpected ThreadSanitizer race report(s); the first:") && out.contains("WARNING: ThreadSanitizer:"),
                      "the race is reported in the test's failure: \(out.suffix(800))")
        XCTAssertTrue(out.contains("Executed 1 test"), "the run went on to its end: \(out.suffix(500))")
    }
}
