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
