import Foundation
import LabKit
import LabHarness
import XCTest

/// The base class of the lab's tests: under ThreadSanitizer, any race report during a test that the
/// test did not count itself (with `RaceCheck.racesDuring`) fails that test.
open class LabTestCase: XCTestCase {
    nonisolated(unsafe) static var current: LabTestCase?
    private var racesAtStart = 0
    private var logAtStart = 0
    var expectedRaces = 0

    open override func setUp() {
        super.setUp()
        LabTestCase.current = self
        racesAtStart = RaceDetector.reportCount
        logAtStart = RaceDetector.logSize
        expectedRaces = 0
    }

    /// Whether a race report this test did not count fails it. Exercise checks say no: there only
    /// the race check counts races, so that one race costs a student one check, not all of them.
    open var failsOnUncountedRaces: Bool { true }

    open override func tearDown() {
        let unexpected = RaceDetector.reportCount - racesAtStart - expectedRaces
        if unexpected > 0 && failsOnUncountedRaces {
            let reports = RaceDetector.reports(since: logAtStart).text
            XCTFail("this test produced \(unexpected) unexpected ThreadSanitizer race report(s); the first:\n"
                    + RaceCheck.firstReport(reports))
        }
        LabTestCase.current = nil
        super.tearDown()
    }
}
