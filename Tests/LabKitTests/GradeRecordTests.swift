import LabHarness
import XCTest

/// A student reads the lab's message, not XCTest's wrapping of it.
final class GradeRecordTests: XCTestCase {
    func testStudentMessageDropsXCTestsWords() {
        XCTAssertEqual(GradeRecord.studentMessage("failed - main never decided"), "main never decided")
        XCTAssertEqual(GradeRecord.studentMessage(#"XCTAssertEqual failed: ("10") is not equal to ("0") - lost 10 votes"#), "lost 10 votes")
        XCTAssertEqual(GradeRecord.studentMessage(#"threw error "election with 10 voters: outcome() never returned""#),
                       "election with 10 voters: outcome() never returned")
        XCTAssertEqual(GradeRecord.studentMessage("a message of the lab's own"), "a message of the lab's own")
    }
}
