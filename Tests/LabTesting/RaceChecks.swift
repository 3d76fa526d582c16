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
