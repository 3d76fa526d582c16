import LabKit
/// One line of the file a check process writes for the grader when a check ends: written by
/// `GradeRecorder` (Tests/LabTesting) inside the process, read by `grade` outside it.
public struct GradeRecord: Codable, Sendable {
    /// The environment variable that names the file.
    public static let fileVariable = "LAB_GRADE_RECORD"

    /// The word the grader handed the process on standard input: a line without it is not counted.
    public var nonce: String
    public var test: String
    public var status: String  // passed, failed, skipped
    public var message: String

    public init(nonce: String, test: String, status: String, message: String) {
        self.nonce = nonce
        self.test = test
        self.status = status
        self.message = message
    }
}

extension GradeRecord {
    /// A failure as the student reads it: XCTest's own words in front of the lab's message
    /// (`XCTAssertEqual failed: ("10") is not equal to ("0") - `, `failed - `) are dropped when the
    /// check says what went wrong itself; an assertion without a message keeps XCTest's words.
    public static func studentMessage(_ description: String) -> String {
        if description.hasPrefix("failed - ") { return String(description.dropFirst("failed - ".count)) }
        // A check that throws: XCTest writes `threw error "<the error's description>"`.
        if description.hasPrefix("threw error \""), description.hasSuffix("\""), description.count > 14 {
            return String(description.dropFirst("threw error \"".count).dropLast())
        }
        guard description.hasPrefix("XCT"), let failed = description.range(of: " failed") else { return description }
        let rest = description[failed.upperBound...]
        guard let dash = rest.range(of: " - ") else { return description }
        let message = rest[dash.upperBound...]
        if message.isEmpty { return description }
        // XCTAssertEqual's values are worth keeping: `: ("10") is not equal to ("9") - what` reads
        // `what: 10, where 9 was expected` (the lab's checks put what they got first).
        let values = rest[..<dash.lowerBound]
        if let ne = values.range(of: ") is not equal to ("), let open = values.range(of: "(\""),
           values.hasSuffix("\")"), open.upperBound <= ne.lowerBound {
            let got = values[open.upperBound..<ne.lowerBound].dropLast()
            let want = values[ne.upperBound...].dropFirst().dropLast(2)
            let shown = { (v: Substring) in v.isEmpty ? "\"\"" : String(v) }
            return "\(message): \(shown(got)), where \(shown(want)) was expected"
        }
        return String(message)
    }
}
