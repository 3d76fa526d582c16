@testable import grade
import XCTest

/// The list of files an instructor should read names real uses of risky APIs, not methods that
/// happen to share a C function's name.
final class RiskyAPIsTests: XCTestCase {
    func testNamesWordsNotPartsOfOtherNames() {
        XCTAssertTrue(RiskyAPIs.uses("signal(SIGTERM, SIG_IGN)", "signal("))
        XCTAssertTrue(RiskyAPIs.uses("x = 1; Glibc.exit(0)", "exit("), "a C function named with its module")
        XCTAssertFalse(RiskyAPIs.uses("changed.signal()", "signal("), "NSCondition's signal is a method")
        XCTAssertFalse(RiskyAPIs.uses("let s = mySignal()", "signal("))
        XCTAssertFalse(RiskyAPIs.uses("file.open()", "open("))
        XCTAssertTrue(RiskyAPIs.uses("try data.write(to: url)", "write(to"), "Data's write(to:) is what it looks for")
        XCTAssertTrue(RiskyAPIs.uses("let p = Foundation.Process()", "Process("))
        XCTAssertFalse(RiskyAPIs.uses("let p = SubProcess()", "Process("))
    }
}
