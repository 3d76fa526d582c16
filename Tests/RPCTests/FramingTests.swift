import LabRPC
import LabTesting
import XCTest

final class FramingTests: LabTestCase {
    /// Values one after another, split anywhere across reads, with or without white space.
    func testFramerSplitsAStreamIntoValues() {
        let stream = Array(#"{"a":"}{"} [1,[2]]{"b":"\"}"}"#.utf8) + Array("\n {}".utf8)
        for chunk in [1, 2, 3, 7, stream.count] {
            var f = JSONFramer()
            var got: [String] = []
            var i = 0
            while i < stream.count {
                f.append(stream[i..<min(i + chunk, stream.count)][...])
                i += chunk
                while case .value(let v)? = f.next() { got.append(String(decoding: v, as: UTF8.self)) }
            }
            XCTAssertEqual(got, [#"{"a":"}{"}"#, "[1,[2]]", #"{"b":"\"}"}"#, "{}"], "chunks of \(chunk)")
        }
        var f = JSONFramer(limit: 10)
        f.append(Array(#"{"a":"0123456789"#.utf8)[...])
        XCTAssertEqual(f.next(), .tooLarge)
        var g = JSONFramer()
        g.append(Array("  42".utf8)[...])
        XCTAssertEqual(g.next(), .notAnObject(UInt8(ascii: "4")))
    }

    func testScannerValidatesAndLocatesFields() throws {
        let b = Array(#"{"method":"KV.Get","params":[{"Key":"k\"1"}],"id":1.50}"#.utf8)
        let fields = try XCTUnwrap(try JSONScan.objectFields(b))
        XCTAssertEqual(String(decoding: b[fields["id"]!], as: UTF8.self), "1.50", "the id exactly as sent")
        XCTAssertEqual(JSONScan.string(b, fields["method"]!), "KV.Get")
        let params = try XCTUnwrap(JSONScan.arrayElements(b, fields["params"]!))
        XCTAssertEqual(params.map { String(decoding: b[$0], as: UTF8.self) }, [#"{"Key":"k\"1"}"#])
        XCTAssertNil(try JSONScan.objectFields(Array("[1,2]".utf8)), "valid, but not an object")
        let odd = Array(#"{"i\u0064":1,"id":2,"id":3,"idx":4}"#.utf8)
        let oddFields = try XCTUnwrap(try JSONScan.objectFields(odd))
        XCTAssertEqual(oddFields["id"].map { String(decoding: odd[$0], as: UTF8.self) }, "3", "the last of three names that say id")
        XCTAssertNil(oddFields["i"], "a prefix of a name is not the name")
        for bad in [#"{"a":}"#, #"{"a" 1}"#, #"{"a":tru}"#, #"{"a":01x}"#, #"{"a":"x}"#, #"{"a":1,}"#, "{} x", #"{"a":-}"#] {
            XCTAssertThrowsError(try JSONScan.objectFields(Array(bad.utf8)), bad)
        }
        let literal = Array(#""a\n\u00e9\\""#.utf8)
        XCTAssertEqual(JSONScan.string(literal, 0..<literal.count), "a\n\u{e9}\\")
        XCTAssertEqual(JSONScan.quote("say \"hi\"\n\u{1}"), #""say \"hi\"\n\u0001""#)
    }
}
