import Foundation
import LabKit
import LabTesting
import XCTest

/// `twoAtATime`, which 02's, 03's and 04's checks use for their independent runs: results in the
/// items' order, two running at once, and nothing started after the first failure (a run that
/// hangs costs its watchdog once, not once per item).
final class TwoAtATimeTests: LabTestCase {
    struct Failed: Error {}

    func testGivesEachResultInOrderTwoAtOnce() {
        let running = LockedBox((now: 0, most: 0))
        let ran = twoAtATime(Array(0..<8)) { i -> Int in
            running.withValue { $0.now += 1; $0.most = max($0.most, $0.now) }
            Thread.sleep(forTimeInterval: 0.02)
            running.withValue { $0.now -= 1 }
            return i * i
        }
        XCTAssertEqual(ran.map(\.0), Array(0..<8))
        XCTAssertEqual(ran.map { try? $0.1.get() }, (0..<8).map { $0 * $0 })
        XCTAssertEqual(running.value.most, 2, "two at once")
    }

    func testStartsNothingAfterTheFirstFailure() {
        let started = LockedBox<[Int]>([])
        let ran = twoAtATime(Array(0..<10)) { i -> Int in
            started.withValue { $0.append(i) }
            if i == 0 { throw Failed() }
            Thread.sleep(forTimeInterval: 0.1)  // the other half's item is still running when 0 fails
            return i
        }
        XCTAssertEqual(started.value.sorted(), [0, 1], "items started after item 0 failed")
        XCTAssertEqual(ran.map(\.0), [0, 1], "the items run, in order")
        XCTAssertThrowsError(try XCTUnwrap(ran.first).1.get())
    }
}
