import Foundation
import LabHarness
import XCTest

/// What a program prints is kept within a bound: a program that prints without end (a student's
/// loop under the grader) must not fill the memory of whoever runs it.
final class SubprocessTests: XCTestCase {
    func testOutputIsKeptWithinItsBoundHeadAndTail() throws {
        let r = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"),
                                   ["-c", "head -c 50000000 /dev/zero | tr '\\0' a; echo; echo END"],
                                   timeout: .seconds(60), keepBytes: 1 << 20)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertLessThan(r.stdout.utf8.count, (1 << 20) + 100, "50 MB printed, 1 MiB kept")
        XCTAssertTrue(r.stdout.hasPrefix("aaaa"), "the first half kept")
        XCTAssertTrue(r.stdout.hasSuffix("aaaa\nEND\n"), "the last half kept: where a crash's last words are")
        XCTAssertTrue(r.stdout.contains("bytes left out ...]"), "and says what it left out")
    }

    func testSmallOutputIsKeptWhole() throws {
        let r = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "printf 'one\\ntwo\\n'; printf oops >&2"], keepBytes: 8)
        XCTAssertEqual(r.stdout, "one\ntwo\n")
        XCTAssertEqual(r.stderr, "oops")
    }
}
