import Foundation
import LabKit
import XCTest

/// ThreadSanitizer reports do not fail a test by themselves: the process prints them and goes on.
/// These helpers count the reports a body produced (see `Sources/LabTSan`) and turn them into verdicts.
public enum RaceCheck {
    public static let howToEnable =
        "race checks need ThreadSanitizer: run `make test` (its second pass) or `swift test --sanitize=thread`"

    /// Skips the calling test, saying how to enable race checks, when this build has no ThreadSanitizer.
    public static func requireThreadSanitizer() throws {
        guard RaceDetector.isEnabled else { throw XCTSkip("skipped: \(howToEnable)") }
    }

    /// How many race reports `body` produced.
    public static func racesDuring(_ body: () throws -> Void) rethrows -> Int {
        let before = RaceDetector.reportCount
        try body()
        let n = RaceDetector.reportCount - before
        LabTestCase.current?.expectedRaces += n
        return n
    }
}

/// Fails the test when `body` produced any ThreadSanitizer report. Call `requireThreadSanitizer()`
/// first: without ThreadSanitizer there is nothing to count.
public func XCTAssertNoRaces(
    _ what: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) rethrows {
    let n = try RaceCheck.racesDuring(body)
    if n > 0 {
        XCTFail("\(what()) produced \(n) ThreadSanitizer race report(s); each is printed above as "
                + "'WARNING: ThreadSanitizer: data race' with the two conflicting stacks", file: file, line: line)
    }
}

/// The base class of the lab's tests: under ThreadSanitizer, any race report during a test that the
/// test did not count itself (with `RaceCheck.racesDuring`) fails that test.
open class LabTestCase: XCTestCase {
    nonisolated(unsafe) static var current: LabTestCase?
    private var racesAtStart = 0
    var expectedRaces = 0

    open override func setUp() {
        super.setUp()
        LabTestCase.current = self
        racesAtStart = RaceDetector.reportCount
        expectedRaces = 0
    }

    /// Whether a race report this test did not count fails it. Exercise checks say no: there only
    /// the race check counts races, so that one race costs a student one check, not all of them.
    open var failsOnUncountedRaces: Bool { true }

    open override func tearDown() {
        let unexpected = RaceDetector.reportCount - racesAtStart - expectedRaces
        if unexpected > 0 && failsOnUncountedRaces {
            XCTFail("this test produced \(unexpected) unexpected ThreadSanitizer race report(s); see the log above")
        }
        LabTestCase.current = nil
        super.tearDown()
    }
}
