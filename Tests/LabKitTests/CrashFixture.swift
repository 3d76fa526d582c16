import Foundation
import LabKit
import LabTesting
import XCTest

/// A test that crashes on purpose, only when `LAB_CRASH_FIXTURE=1`: the fixture of the test below.
final class CrashFixture: XCTestCase {
    func testCrashes() {
        guard ProcessInfo.processInfo.environment["LAB_CRASH_FIXTURE"] == "1" else { return }
        UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1
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
}
