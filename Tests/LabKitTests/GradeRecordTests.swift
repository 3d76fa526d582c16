import LabHarness
import XCTest

/// A student reads the lab's message, not XCTest's wrapping of it.
final class GradeRecordTests: XCTestCase {
    func testStudentMessageDropsXCTestsWords() {
        XCTAssertEqual(GradeRecord.studentMessage("failed - main never decided"), "main never decided")
        XCTAssertEqual(GradeRecord.studentMessage(#"XCTAssertEqual failed: ("10") is not equal to ("9") - callsServed after 9 calls"#),
                       "callsServed after 9 calls: 10, where 9 was expected")
        XCTAssertEqual(GradeRecord.studentMessage(#"XCTAssertEqual failed: ("a") is not equal to ("") - request 0 again"#),
                       #"request 0 again: a, where "" was expected"#)
        XCTAssertEqual(GradeRecord.studentMessage(#"XCTAssertTrue failed - lost 10 votes"#), "lost 10 votes")
        XCTAssertEqual(GradeRecord.studentMessage(#"threw error "election with 10 voters: outcome() never returned""#),
                       "election with 10 voters: outcome() never returned")
        XCTAssertEqual(GradeRecord.studentMessage("a message of the lab's own"), "a message of the lab's own")
    }
}
