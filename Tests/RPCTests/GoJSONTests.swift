import LabRPC
import LabNet
import LabTesting
import XCTest

/// The lab's JSON coder against what Go's encoding/json writes and accepts (Go 1.22 and later).
final class GoJSONTests: LabTestCase {
    struct Inner: Codable, Equatable {
        var n: Int
        var tags: [String]
    }

    struct Outer: Codable, Equatable {
        var zeta: String  // declared first: Go writes fields in declaration order, not sorted
        var alpha: Int64
        var ok: Bool
        var ratio: Double
        var inner: Inner
        var maybe: String?
        var list: [Inner]
        enum CodingKeys: String, CodingKey { case zeta = "Zeta", alpha = "Alpha", ok = "OK", ratio = "Ratio", inner = "Inner", maybe = "Maybe", list = "List" }
    }

    func text(_ v: some Encodable) throws -> String { String(decoding: try GoJSON.encode(v), as: UTF8.self) }

    func testWritesWhatGoWrites() throws {
        let v = Outer(zeta: "z", alpha: -3, ok: true, ratio: 2, inner: Inner(n: 1, tags: ["a", "b"]), maybe: nil,
                      list: [Inner(n: 2, tags: [])])
        XCTAssertEqual(try text(v), #"{"Zeta":"z","Alpha":-3,"OK":true,"Ratio":2,"Inner":{"n":1,"tags":["a","b"]},"List":[{"n":2,"tags":[]}]}"#)
        XCTAssertEqual(try text(PutArgs(key: "k", value: "v")), #"{"Key":"k","Value":"v"}"#)
        XCTAssertEqual(try text(GetReply(err: .noKey, value: "")), #"{"Err":"ErrNoKey","Value":""}"#)
        XCTAssertEqual(try text(0.5), "0.5")
        XCTAssertThrowsError(try GoJSON.encode(Double.nan), "Go: json: unsupported value: NaN")
    }

    func testEscapesStringsAsGoDoes() throws {
        XCTAssertEqual(try text("<a href=\"x\">&</a>"), #""\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e""#)
        XCTAssertEqual(try text("tab\t nl\n cr\r bs\u{8} ff\u{C} one\u{1} del\u{7F}"), #""tab\t nl\n cr\r bs\b ff\f one\u0001 del"# + "\u{7F}\"")
        XCTAssertEqual(try text("line\u{2028}para\u{2029} é €"), #""line\u2028para\u2029 é €""#)
        XCTAssertEqual(try text(#"back\slash "quote""#), #""back\\slash \"quote\"""#)
    }

    func testReadsWhatGoAccepts() throws {
        let json = Array((#" { "zeta" : "z\u00e9\ud83d\ude00", "ALPHA": 9007199254740993, "ok": false, "Ratio": -1.5e2, "#
            + #""Inner": {"n": 0, "tags": ["x"]}, "unknown": [1, {"a": null}], "List": [], "Maybe": null } "#).utf8)
        let v = try GoJSON.decode(Outer.self, from: json)
        XCTAssertEqual(v, Outer(zeta: "zé😀", alpha: 9_007_199_254_740_993, ok: false, ratio: -150, inner: Inner(n: 0, tags: ["x"]),
                                maybe: nil, list: []), "names matched ignoring case, unknown fields skipped, integers exact")
        let padded = Array("xx[{\"Key\":\"k\"}]yy".utf8)
        XCTAssertEqual(try GoJSON.decode(GetArgs.self, from: padded, at: 3..<14), GetArgs(key: "k"), "a value inside a message")
    }

    /// Go leaves a field it has no value for at its zero value: a missing field, or `null`.
    func testMissingAndNullFieldsAreZeroAsInGo() throws {
        XCTAssertEqual(try GoJSON.decode(GetArgs.self, from: Array(#"{"Value":"v"}"#.utf8)), GetArgs(key: ""))
        XCTAssertEqual(try GoJSON.decode(ArithRequest.self, from: Array(#"{"A":null,"b":3}"#.utf8)), ArithRequest(a: 0, b: 3))
        XCTAssertEqual(try GoJSON.decode(Bool.self, from: Array("null".utf8)), false)
        XCTAssertEqual(try GoJSON.decode(PutArgs.self, from: Array("null".utf8)), PutArgs(key: "", value: ""))
        XCTAssertEqual(try GoJSON.decode(PutArgs.self, from: [], at: 0..<0), PutArgs(key: "", value: ""), "no value at all")
        XCTAssertEqual(try GoJSON.decode(Inner.self, from: Array("{}".utf8)), Inner(n: 0, tags: []))
    }

    func testRejectsWhatDoesNotFit() {
        func fails<T: Decodable>(_ type: T.Type, _ json: String, _ why: String) {
            XCTAssertThrowsError(try GoJSON.decode(type, from: Array(json.utf8)), why)
        }
        fails(GetArgs.self, #"{"Key":1}"#, "a number for a string")
        fails(GetArgs.self, #"{"Key":"k"} x"#, "trailing bytes")
        fails(GetArgs.self, #"{"Key":"k""#, "cut short")
        fails(Int8.self, "128", "out of range")
        fails(Int.self, "1.5", "a fraction for an integer")
        fails(Int.self, "99999999999999999999", "overflow")
        fails(UInt.self, "-1", "negative for unsigned")
        fails([Int].self, #"{"a":1}"#, "an object for an array")
        XCTAssertEqual(try GoJSON.decode(Int64.self, from: Array("-9223372036854775808".utf8)), Int64.min)
    }

    func testRoundTripsEveryService() throws {
        let a = WindowedAppendArgs(clientID: 7, seq: 3, ack: 2, key: "k<&>", value: "v\u{2028}")
        XCTAssertEqual(try GoJSON.decode(WindowedAppendArgs.self, from: GoJSON.encode(a)), a)
        XCTAssertEqual(try GoJSON.decode(SwapArgs.self, from: GoJSON.encode(SwapArgs(keyA: "a", keyB: "b"))), SwapArgs(keyA: "a", keyB: "b"))
        XCTAssertEqual(try GoJSON.decode(AppendReply.self, from: GoJSON.encode(AppendReply(err: .ok, value: "old"))), AppendReply(err: .ok, value: "old"))
    }
}
