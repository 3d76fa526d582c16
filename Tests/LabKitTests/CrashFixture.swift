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

/// A test that races where it does not expect to, only when `LAB_RACE_FIXTURE=1`.
final class RaceFixture: LabTestCase {
    final class Unlocked: @unchecked Sendable { var n = 0 }

    func testRacesUnexpectedly() {
        guard ProcessInfo.processInfo.environment["LAB_RACE_FIXTURE"] == "1" else { return }
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
                                   environment: ProcessInfo.processInfo.environment.merging(["LAB_RACE_FIXTURE": "1"]) { $1 },
                                   timeout: .seconds(60))
        XCTAssertNotEqual(r.status, 0, "the racing fixture passed")
        let out = r.stdout + r.stderr
        XCTAssertTrue(out.contains("unexpected ThreadSanitizer race report(s); the first:"), String(out.suffix(500)))
        XCTAssertTrue(out.contains("WARNING: ThreadSanitizer:") && out.contains("CrashFixture.swift:"),
                      "the failure shows the report, with the fixture's lines: \(out.suffix(800))")
        XCTAssertEqual(out.components(separatedBy: "WARNING: ThreadSanitizer").count - 1, 1, "the report is shown once, in the failure, not also in the log")
    }
}
