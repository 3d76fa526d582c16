import Foundation
import LabKit
import LabHarness
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
        try reportsDuring(body).count
    }

    /// How many race reports `body` produced, and the first of them as ThreadSanitizer wrote it
    /// (its two conflicting accesses, each with its stack): the text a failure message shows.
    public static func reportsDuring(_ body: () throws -> Void) rethrows -> (count: Int, first: String) {
        let before = RaceDetector.reportCount
        let log = RaceDetector.logSize
        try body()
        let n = RaceDetector.reportCount - before
        LabTestCase.current?.expectedRaces += n
        return (n, n > 0 ? firstReport(RaceDetector.reports(since: log).text, lines: 400) : "")
    }

    /// The first report in `text`: from its WARNING line to the rule that ends it, at most `limit` lines.
    public static func firstReport(_ text: String, lines limit: Int = 60) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains("WARNING: ThreadSanitizer") }) else { return text }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("=====") } ?? lines.endIndex
        let report = lines[start..<min(end, start + limit)]
        return report.joined(separator: "\n") + (end > start + limit ? "\n..." : "")
    }
}

/// Fails the test when `body` produced any ThreadSanitizer report. Call `requireThreadSanitizer()`
/// first: without ThreadSanitizer there is nothing to count.
public func XCTAssertNoRaces(
    _ what: @autoclosure () -> String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void
) rethrows {
    let (n, first) = try RaceCheck.reportsDuring(body)
    if n > 0 {
        let report = RaceReport(first, ownCode: { !$0.contains("<compiler-generated>") })
        XCTFail("\(what()) produced \(n) ThreadSanitizer race report(s); the first (\(report.title)):\n"
                + "\(report.summary)\n\(report.stacks)", file: file, line: line)
    }
}
