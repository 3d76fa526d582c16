import Foundation
import LabKit
import LabHarness
import LabTesting
import XCTest

final class CommandLineTests: LabTestCase {
    let tool = Tool(name: "t", summary: "test", options: [
        .value("--pages", "N", "pages", default: "10"),
        .value("--latency", "DURATION", "latency", default: "0"),
        .value("--web", "WEB", "web", default: "tour"),
        .value("--variants", "LIST", "variants", default: "a,b"),
        .flag("--json", "json"),
    ])

    func testDurations() {
        let cases: [(String, Duration?)] = [
            ("50ms", .milliseconds(50)), ("1.5s", .milliseconds(1500)), ("250us", .microseconds(250)),
            ("250µs", .microseconds(250)), ("2m", .seconds(120)), ("100ns", .nanoseconds(100)), ("0", .zero),
            ("-5ms", nil), ("fast", nil), ("5", nil), ("ms", nil), ("1e3ms", nil), ("", nil),
        ]
        for (text, want) in cases { XCTAssertEqual(Duration(parsing: text), want, text) }
        XCTAssertEqual(Duration.milliseconds(12.34).short, "12.3ms")
        XCTAssertEqual(Duration.microseconds(850).short, "850µs")
        XCTAssertEqual(Duration.seconds(4.567).short, "4.57s")
    }

    func testValuesAndDefaults() throws {
        let f = try tool.parse(["--pages=20_000", "--latency", "5ms", "--json"])
        XCTAssertEqual(try f.int("--pages", min: 1), 20_000)
        XCTAssertEqual(try f.duration("--latency"), .milliseconds(5))
        XCTAssertTrue(f.has("--json"))
        XCTAssertEqual(try f.choice("--web", from: ["tour", "generated"]), "tour")
        XCTAssertEqual(try f.list("--variants", from: ["a", "b", "c"]), ["a", "b"])
        XCTAssertEqual(try tool.parse(["--variants", "c,a,c"]).list("--variants", from: ["a", "b", "c"]), ["c", "a"])
    }

    func testBadInputSaysWhatIsWrong() throws {
        func error(_ args: [String], _ read: (Flags) throws -> Void = { _ in }) -> String {
            do {
                try read(try tool.parse(args))
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(error(["--bogus"]), "unknown option '--bogus'")
        XCTAssertEqual(error(["--pages"]), "--pages needs a value (N)")
        XCTAssertEqual(error(["--json=1"]), "--json takes no value")
        XCTAssertEqual(error(["extra"]), "unexpected argument 'extra'")
        XCTAssertEqual(error(["--pages", "-5"]) { _ = try $0.int("--pages", min: 1) }, "--pages must be at least 1, not -5")
        XCTAssertEqual(error(["--pages", "lots"]) { _ = try $0.int("--pages", min: 1) }, "--pages must be a whole number, not 'lots'")
        XCTAssertEqual(error(["--latency", "soon"]) { _ = try $0.duration("--latency") },
                       "--latency must be a duration such as 50ms, 1.5s or 0, not 'soon'")
        XCTAssertEqual(error(["--web", "x"]) { _ = try $0.choice("--web", from: ["tour", "generated"]) },
                       "--web must be one of tour, generated, not 'x'")
        XCTAssertEqual(error(["--variants", "a,z"]) { _ = try $0.list("--variants", from: ["a", "b"]) },
                       "--variants: unknown 'z' (choose from a, b)")
    }

    /// A web too big for this machine's memory is refused up front, saying what was asked.
    func testWebsThatCannotFitInMemoryAreRefused() throws {
        let web = Tool(name: "w", summary: "", options: WebSpec.options)
        let ok = try WebSpec(web.parse(["--web", "generated", "--pages", "100000"]))
        XCTAssertEqual(ok.pages, 100_000)
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        let tooMany = Int(memory / Double(WebSpec.bytesPerURL))  // twice what the guard allows
        XCTAssertThrowsError(try WebSpec(web.parse(["--web", "generated", "--pages", String(tooMany)]))) { error in
            XCTAssertTrue("\(error)".contains("GB to crawl; this machine has"), "\(error)")
        }
    }

    func testHelpListsEveryOptionWithItsDefault() {
        XCTAssertTrue(tool.help.hasPrefix("OVERVIEW: test\n\nUSAGE: t [options]\n"))
        for o in tool.options { XCTAssertTrue(tool.help.contains(o.name), o.name) }
        XCTAssertTrue(tool.help.contains("(default: 10)"))
    }

    func testTableAlignsNumbersRight() {
        var t = Table(["name", "count"])
        t.add(["a", "1"])
        t.add(["longer", "1,000"])
        XCTAssertEqual(t.render(), """
            name    count
            ------  -----
            a           1
            longer  1,000

            """)
        XCTAssertEqual(grouped(1_234_567), "1,234,567")
        XCTAssertEqual(grouped(-1000), "-1,000")
        XCTAssertEqual(grouped(12), "12")
        XCTAssertEqual(counted(1, "time"), "1 time")
        XCTAssertEqual(counted(1_000, "voter"), "1,000 voters")
        XCTAssertEqual(counted(0, "race report"), "0 race reports")
    }
}
