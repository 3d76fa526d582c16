import Foundation
import LabKit
import LabHarness
import LabSys
import XCTest

/// The base class of every exercise's checks (`Tests/ExerciseChecks`). Each test method is one
/// check, worth the points that the exercise's `exercise.json` gives it.
///
/// - An exercise still at its stub is reported as not attempted (skipped), never as failed.
/// - Only the race check counts ThreadSanitizer reports: a race costs that check, not every check.
/// - Under the grader, each finished check is recorded for it (see `GradeRecorder`).
open class ExerciseCase: LabTestCase {
    /// The exercise's module, whose stub marks it when it runs ("CrawlDepth").
    open class var module: String { String(describing: self).replacingOccurrences(of: "Checks", with: "") }

    open override var failsOnUncountedRaces: Bool { false }

    open override class func setUp() {
        super.setUp()
        GradeRecorder.installIfAsked()
    }

    /// A check that needs tasks cannot run while an earlier check's tasks still block the task
    /// pool. Under the grader the process ends here, without this check's record, so that the
    /// grader runs it again alone, in a fresh process; under `swift test` it fails at once, saying
    /// why, rather than waiting for its own watchdog.
    open override func setUpWithError() throws {
        try super.setUpWithError()
        TraceFolder.check.set(String(name.split(separator: ".").last ?? ""))  // make trace keeps each check's own runs
        guard TaskPool.mayBeBlocked.value, !TaskPool.runs() else { return }
        let why = "Swift's task pool is still blocked by tasks of an earlier check that never ended (its watchdog gave up on them)"
        if GradeRecorder.isInstalled {
            FileHandle.standardError.write(Data("\(why); the grader runs the remaining checks alone\n".utf8))
            exit(75)
        }
        throw skip("not run: \(why); run this check alone: swift test --filter \(name)")
    }

    /// Skips this check, saying so, when the exercise's stub has run: call it right after running
    /// the student's code, before judging what it did.
    public func skipIfNotAttempted() throws {
        if Stubs.ran(in: Self.module) {
            throw skip("not attempted: \(Self.module) still calls notAttempted(); delete that line when you start")
        }
    }

    /// Runs the race check's body (the student's code) and fails with the number of reports, or
    /// skips when this build has no ThreadSanitizer.
    public func checkNoRaces(_ what: String, _ body: () throws -> Void) throws {
        if Stubs.ran(in: Self.module) { try skipIfNotAttempted() }
        guard RaceDetector.isEnabled else { throw skip("skipped: \(RaceCheck.howToEnable)") }
        let (n, first) = try RaceCheck.reportsDuring {
            try body()
            try skipIfNotAttempted()
        }
        if n > 0 {
            let report = RaceReport(first)
            XCTFail("\(what) produced \(n) ThreadSanitizer race report(s): two threads touched the same memory, "
                    + "at least one writing, with no lock or other synchronization between them. The first "
                    + "(\(report.title)):\n\(report.summary)\nWhere each thread was:\n\(report.stacks)")
        }
    }

    /// An `XCTSkip` whose message the grade record keeps.
    public func skip(_ message: String) -> XCTSkip {
        GradeRecorder.noteSkip(name, message)
        return XCTSkip(message)
    }
}

/// Writes one line per finished check to the file the grader names, so that the grader computes
/// scores from what really ran to the end, outside this process, and never from printed output.
///
/// The grader sets `LAB_GRADE_RECORD` (a file) and writes a random word on standard input, which
/// every line must carry. A check that crashes, hangs, or exits the process early never gets its line.
public final class GradeRecorder: NSObject, XCTestObservation, @unchecked Sendable {  // unchecked: lock guards all
    public typealias Record = GradeRecord

    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var recording = false
    /// Whether this process is run by the grader (records are being written).
    public static var isInstalled: Bool { recording }
    private static let skips = LockedBox<[String: String]>([:])
    private let lock = NSLock()
    private var failures: [String: [String]] = [:]
    private let file: FileHandle
    private let nonce: String

    private init(file: FileHandle, nonce: String) {
        self.file = file
        self.nonce = nonce
    }

    static func installIfAsked() {
        guard !installed else { return }
        installed = true
        let env = ProcessInfo.processInfo.environment
        // The nonce comes on standard input, read before any check runs: the student's code, which
        // runs later in this process, cannot read it back to forge records.
        guard let path = env[GradeRecord.fileVariable], let file = FileHandle(forWritingAtPath: path),
              let nonce = readLine(), !nonce.isEmpty else { return }
        file.seekToEndOfFile()
        lab_print_frames_on_crash()  // the grader names the student's line where a check crashed
        recording = true
        XCTestObservationCenter.shared.addTestObserver(GradeRecorder(file: file, nonce: nonce))
    }

    static func noteSkip(_ test: String, _ message: String) { skips.withValue { $0[test] = message } }

    public func testCase(_ testCase: XCTestCase, didFailWithDescription description: String, inFile filePath: String?, atLine lineNumber: Int) {
        lock.withLock { failures[testCase.name, default: []].append(GradeRecord.studentMessage(description)) }
    }

    public func testCaseDidFinish(_ testCase: XCTestCase) {
        guard let run = testCase.testRun else { return }
        let status = run.hasBeenSkipped ? "skipped" : run.hasSucceeded ? "passed" : "failed"
        let message = run.hasBeenSkipped
            ? Self.skips.value[testCase.name] ?? "skipped"
            : lock.withLock { failures[testCase.name, default: []] }.joined(separator: "\n")
        let record = Record(nonce: nonce, test: testCase.name, status: status, message: message)
        var line = (try? JSONEncoder().encode(record)) ?? Data()
        line.append(UInt8(ascii: "\n"))
        lock.withLock { file.write(line) }
    }
}
