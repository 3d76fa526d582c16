import LabRPC
import LabNet
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
        var g = JSONFramer()
        g.append(Array("  42".utf8)[...])
        XCTAssertEqual(g.next(), .refused(.notAnObject, id: nil))
    }

    /// A message over the limit is dropped as it streams in, whatever its size, and refused once
    /// it ends, with its top-level id wherever in the message that was; the next message is read
    /// as usual. Escapes count as the character they stand for.
    func testFramerRefusesALargeMessageButKeepsItsIDAndItsPlace() {
        let big = String(repeating: "x", count: 5000)
        let stream = Array((#"{"method":"KV.Put","params":[{"Value":"\#(big)"}],"ID" : "late-1" }"#
            + #"{"id":[1,{"a":2}],"v":"\#(big)"}"#
            + #"{"id":3}"#).utf8)
        for chunk in [1, 7, 100, 4096, stream.count] {
            var f = JSONFramer(limit: 1000)
            var got: [JSONFramer.Frame] = []
            var i = 0
            while i < stream.count {
                f.append(stream[i..<min(i + chunk, stream.count)])
                i += chunk
                while let frame = f.next() { got.append(frame) }
            }
            XCTAssertEqual(got, [.refused(.tooLarge, id: Array(#""late-1""#.utf8)), .refused(.tooLarge, id: Array(#"[1,{"a":2}]"#.utf8)),
                                 .value(Array(#"{"id":3}"#.utf8))], "chunks of \(chunk)")
        }
        // 300 control characters escaped are 1,800 bytes on the wire but 300 characters; what is
        // kept is still bounded, at four times the limit on the wire.
        var f = JSONFramer(limit: 500)
        let escaped = Array(("{\"v\":\"" + String(repeating: "\\u0001", count: 300) + "\"}").utf8)
        f.append(escaped)
        XCTAssertEqual(f.next(), .value(escaped))
        var g = JSONFramer(limit: 100)
        g.append(escaped)
        XCTAssertEqual(g.next(), .refused(.tooLarge, id: nil), "1,800 bytes on the wire, over 4 x 100")
        var numbers = JSONFramer(limit: 100)
        numbers.append(Array(("[" + String(repeating: "1,", count: 100) + "1]").utf8))
        XCTAssertEqual(numbers.next(), .refused(.tooLarge, id: nil), "over the limit with no string in it, arrived in one piece")
        // A broken \u escape does not swallow the quote that ends its string.
        var h = JSONFramer()
        h.append(Array(#"{"k":"\u12"}{"id":2}"#.utf8))
        XCTAssertEqual(h.next(), .value(Array(#"{"k":"\u12"}"#.utf8)))
        XCTAssertEqual(h.next(), .value(Array(#"{"id":2}"#.utf8)))
        XCTAssertEqual(JSONScan.compact(Array(#"[1, {"a": "<&>\u2028"}]"#.utf8)).map { String(decoding: $0, as: UTF8.self) },
                       #"[1,{"a":"\u003c\u0026\u003e\u2028"}]"#)
        XCTAssertNil(JSONScan.compact(Array("01".utf8)), "not JSON: never echoed")
    }

    /// Nesting deeper than Go's limit is refused without recursion (a 200,000-deep message would
    /// exhaust a thread's stack), by the framer and by the scanner alike.
    func testNestingDeeperThanGosLimitIsRefusedNotFollowed() throws {
        let deep = 200_000
        var f = JSONFramer(limit: 1 << 20)
        f.append(Array((#"{"id":9,"params":"# + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "}").utf8))
        XCTAssertEqual(f.next(), .refused(.tooDeep, id: Array("9".utf8)))
        let ok = Array((String(repeating: "[", count: JSONFramer.maxDepth) + String(repeating: "]", count: JSONFramer.maxDepth)).utf8)
        var g = JSONFramer(limit: 1 << 20)
        g.append(ok)
        XCTAssertEqual(g.next(), .value(ok), "Go's limit itself is allowed")
        let tooDeep = Array((#"{"a":"# + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "}").utf8)
        XCTAssertThrowsError(try JSONScan.objectFields(tooDeep)) { XCTAssertTrue($0 is JSONScan.TooDeep, "\($0)") }
        XCTAssertThrowsError(try GoJSON.decode([[Int]].self, from: Array((String(repeating: "[", count: deep) + String(repeating: "]", count: deep)).utf8)))
        XCTAssertEqual(try GoJSON.decode([[Int]].self, from: Array("[[1,2],[]]".utf8)), [[1, 2], []])
    }

    func testScannerValidatesAndLocatesFields() throws {
        let b = Array(#"{"method":"KV.Get","params":[{"Key":"k\"1"}],"id":1.50}"#.utf8)
        let fields = try XCTUnwrap(try JSONScan.objectFields(b))
        XCTAssertEqual(String(decoding: b[fields["id"]!], as: UTF8.self), "1.50", "the id exactly as sent")
        XCTAssertEqual(JSONScan.string(b, fields["method"]!), "KV.Get")
        let params = try XCTUnwrap(JSONScan.arrayElements(b, fields["params"]!))
        XCTAssertEqual(params.map { String(decoding: b[$0], as: UTF8.self) }, [#"{"Key":"k\"1"}"#])
        XCTAssertNil(try JSONScan.objectFields(Array("[1,2]".utf8)), "valid, but not an object")
        let upper = Array(#"{"METHOD":"KV.Get","Id":7}"#.utf8)
        let upperFields = try XCTUnwrap(try JSONScan.objectFields(upper))
        XCTAssertEqual(upperFields["method"].flatMap { JSONScan.string(upper, $0) }, "KV.Get", "names match in any case, as in Go")
        XCTAssertEqual(upperFields["id"].map { String(decoding: upper[$0], as: UTF8.self) }, "7")
        let odd = Array(#"{"i\u0064":1,"id":2,"id":3,"idx":4}"#.utf8)
        let oddFields = try XCTUnwrap(try JSONScan.objectFields(odd))
        XCTAssertEqual(oddFields["id"].map { String(decoding: odd[$0], as: UTF8.self) }, "3", "the last of three names that say id")
        XCTAssertNil(oddFields["i"], "a prefix of a name is not the name")
        for bad in [#"{"a":}"#, #"{"a" 1}"#, #"{"a":tru}"#, #"{"a":01x}"#, #"{"a":"x}"#, #"{"a":1,}"#, "{} x", #"{"a":-}"#,
                    #"{"a":01}"#, #"{"a":-01}"#, #"{"a":"\x"}"#, #"{"a":"\uZZZZ"}"#, #"{"a":"\u12"}"#] {
            XCTAssertThrowsError(try JSONScan.objectFields(Array(bad.utf8)), bad)
        }
        let literal = Array(#""a\n\u00e9\\""#.utf8)
        XCTAssertEqual(JSONScan.string(literal, 0..<literal.count), "a\n\u{e9}\\")
        XCTAssertEqual(JSONScan.quote("say \"hi\"\n\u{1}"), #""say \"hi\"\n\u0001""#)
    }
}
