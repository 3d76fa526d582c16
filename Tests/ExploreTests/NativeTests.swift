import Foundation
import LabSched
import LabTesting
@testable import Scenarios
import XCTest

final class NativeTests: LabTestCase {
    /// On real threads, in whatever order the OS gives, every scenario ends in an outcome that
    /// its controlled runs allow: the controlled runs are a model of the real thing, not another
    /// program.
    func testNativeRunsEndOnlyAsTheControlledRunsAllow() throws {
        for s in scenarios {
            var allowed = Set(try explored(s, schedules: 1_000).outcomes.map(\.outcome))
            allowed.formUnion(try explored(s, .random(seed: 7), schedules: 300).outcomes.map(\.outcome))
            for i in 0..<5 {
                let r = try withWatchdog(60, "\(s.name) natively") {
                    Explorer.runNatively(s, limits: Limits(steps: 1_000_000, watchdog: .seconds(10)))
                }
                let outcome = r.outcome ?? "(main did not return)"
                XCTAssertTrue(allowed.contains(outcome), "\(s.name), native run \(i): '\(outcome)' is not among \(allowed.sorted())")
                XCTAssertFalse(r.kinds.contains(.stuck), "\(s.name): \(r.failures)")
            }
        }
    }

    /// Natively too, a deadlock is found rather than waited on: every thread blocked in a LabSched
    /// operation is what Go's runtime reports.
    func testANativeDeadlockIsReportedAsGoReportsIt() throws {
        var runs = 0
        var deadlocks = 0
        while runs < 200 && deadlocks == 0 {
            let r = try withWatchdog(60, "deadlock natively") { Explorer.runNatively(deadlock) }
            runs += 1
            if r.kinds.contains(.deadlock) {
                deadlocks += 1
                XCTAssertTrue(r.failures[0].message.hasPrefix("all goroutines are asleep - deadlock!"), r.failures[0].message)
                XCTAssertNil(r.outcome)
            } else {
                // A run that finished took the two mutexes in both orders: the inversion is found
                // without the deadlock (LockOrderTests).
                XCTAssertEqual(r.outcome, "done")
                XCTAssertEqual(r.kinds, [.lockOrder], "\(r.failures)")
            }
        }
        print("native deadlock: \(deadlocks) in \(runs) runs")
    }
}
