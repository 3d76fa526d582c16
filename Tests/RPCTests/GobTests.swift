import LabRPC
import LabTesting
import XCTest

/// The lab's gob coder against the bytes Go's encoding/gob writes (`go run . gobgolden` in
/// Tests/GoPeers made these, each in a fresh process, so type ids start at 65 as on a new
/// connection), and against streams no Go encoder would write.
final class GobTests: LabTestCase {
    static let golden: [String: String] = [
        "point": "1fff8103010105506f696e7401ff82000102010158010400010159010400000007ff82012c014200",
        "point-twice": "1fff8103010105506f696e7401ff82000102010158010400010159010400000007ff82012c01420007ff82012c014200",
        "int3": "03040006",
        "string": "0a0c00077375626a656374",
        "put-args": "27ff81030101075075744172677301ff8200010201034b6579010c00010556616c7565010c00000014ff8201077375626a6563740106362e3538343000",
        "put-reply": "1eff81030101085075745265706c7901ff820001010103457272010c00000007ff8201024f4b00",
        "put-reply-zero": "1eff81030101085075745265706c7901ff820001010103457272010c00000003ff8200",
        "empty-struct": "0aff81030102ff8200000003ff8200",
        "get-reply": "28ff81030101084765745265706c7901ff820001020103457272010c00010556616c7565010c0000000fff8201024f4b0106362e3538343000",
        "arith-request": "26ff810301010c41726974685265717565737401ff82000102010141010400010142010400000007ff82010d010600",
        "request": "2fff81030101075265717565737401ff82000102010d536572766963654d6574686f64010c00010353657101060000000dff8201064b562e507574010100",
        "response-error": "3aff8103010108526573706f6e736501ff82000103010d536572766963654d6574686f64010c00010353657101060001054572726f72010c0000002eff8201074b562e4e6f70650102011e7270633a2063616e27742066696e64206d6574686f64204b562e4e6f706500",
        "kinds-extremes": "3bff81030101054b696e647301ff82000106010149010400010155010600010142010200010146010800010153010c0001054279746573010a000000ffecff8201f8ffffffffffffffff01f8ffffffffffffffff010101fe314001ffc87878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878010200ff00",
        "kinds-zero": "3bff81030101054b696e647301ff82000106010149010400010155010600010142010200010146010800010153010c0001054279746573010a00000003ff8200",
        "kinds-max": "3bff81030101054b696e647301ff82000106010149010400010155010600010142010200010146010800010153010c0001054279746573010a000000ffa9ff8201f8fffffffffffffffe01ff8002fee0bf010e68c3a96c6c6f2c20e4b896e7958c01ff820707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070707070700",
        "nested": "4aff81030101064e657374656401ff8200010501055469746c65010c000105496e6e657201ff840001054974656d7301ff86000106436f756e747301ff880001045461677301ff8a00000022ff8303010105496e6e657201ff8400010201044e616d65010c0001014e01040000001bff850201010c5b5d6d61696e2e496e6e657201ff860001ff8400001eff870401010e6d61705b737472696e675d696e7401ff8800010c0104000016ff89020101085b5d737472696e6701ff8a00010c000021ff82010174010102696e0102000102010161000204000101016b0a010200016200",
        "nested-zero": "4aff81030101064e657374656401ff8200010501055469746c65010c000105496e6e657201ff840001054974656d7301ff86000106436f756e747301ff880001045461677301ff8a00000022ff8303010105496e6e657201ff8400010201044e616d65010c0001014e01040000001bff850201010c5b5d6d61696e2e496e6e657201ff860001ff8400001eff870401010e6d61705b737472696e675d696e7401ff8800010c0104000016ff89020101085b5d737472696e6701ff8a00010c000005ff82020000",
        "with-array": "2aff810301010957697468417272617901ff8200010201044772696401ff840001044e616d65010c00000016ff83010101065b335d696e7401ff84000104010600000bff82010300120001016700",
        "map-int-keys": "0eff81040102ff82000104010c00000fff82000101096d696e7573206f6e65",
        "empty-map": "22ff8103010107576974684d617001ff8200010201014d01ff840001014e01040000001eff830401010e6d61705b737472696e675d696e7401ff8400010c0104000007ff820100010200",
        "slice-of-structs": "0dff83020102ff840001ff82000022ff8103010105496e6e657201ff8200010201044e616d65010c0001014e01040000000bff84000201016101020000",
    ]

    // Go's types, by Go's names (the name is part of the definition).
    struct Point: Codable, Equatable { var X, Y: Int }
    struct Kinds: Codable, Equatable {
        var I: Int
        var U: UInt64
        var B: Bool
        var F: Double
        var S: String
        var Bytes: [UInt8]
    }
    struct Inner: Codable, Equatable {
        var Name: String
        var N: Int
    }
    struct Nested: Codable, Equatable {
        var Title: String
        var Inner: Inner
        var Items: [Inner]
        var Counts: [String: Int]
        var Tags: [String]
    }
    struct WithArray: Codable, Equatable {
        var Grid: [Int]
        var Name: String
    }
    struct PutReply: Codable, Equatable { var Err: String }
    struct WithMap: Codable, Equatable {
        var M: [String: Int]
        var N: Int
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    func golden(_ name: String) -> [UInt8] { Self.bytes(Self.golden[name]!) }

    /// What a fresh stream writes for `values`, one after another.
    func encoded(_ values: any Encodable...) throws -> String {
        var out = GobOutput()
        var bytes: [UInt8] = []
        for v in values { try out.write(v, into: &bytes) }
        return Self.hex(bytes)
    }

    /// The values in `bytes`, read as one stream.
    func decoded(_ bytes: [UInt8]) throws -> [GobValue] {
        var framer = GobFramer()
        framer.append(bytes)
        var input = GobInput()
        var values: [GobValue] = []
        while let frame = try framer.next() {
            guard case .message(let m) = frame else { throw GobError("a message over the limit") }
            if case .value(_, let v) = try input.read(m, 0..<m.count) { values.append(v) }
        }
        guard framer.pending == 0 else { throw GobError("the stream ends inside a message") }
        return values
    }

    enum Shape: Equatable {
        case definition(Int)
        case value(typeID: Int)
    }

    /// The stream's messages: which type each defines, or of which type its value is.
    func messages(_ bytes: [UInt8]) throws -> [Shape] {
        var framer = GobFramer()
        framer.append(bytes)
        var input = GobInput()
        var out: [Shape] = []
        while case .message(let m)? = try framer.next() {
            switch try input.read(m, 0..<m.count) {
            case .definition(let id): out.append(.definition(id))
            case .value(let id, _): out.append(.value(typeID: id))
            }
        }
        return out
    }

    func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let values = try decoded(golden(name))
        XCTAssertEqual(values.count, 1)
        return try GobDecoding.decode(T.self, from: values[0])
    }

    func testPointIsDocGosExample() throws {
        // encoding/gob's doc.go, byte for byte.
        let doc = "1fff8103010105506f696e7401ff82000102010158010400010159010400000007ff82012c014200"
        XCTAssertEqual(Self.golden["point"], doc)
        XCTAssertEqual(try encoded(Point(X: 22, Y: 33)), doc)
        XCTAssertEqual(try encoded(Point(X: 22, Y: 33), Point(X: 22, Y: 33)), doc + "07ff82012c014200", "a type is defined once per stream")
        XCTAssertEqual(try decode(Point.self, "point"), Point(X: 22, Y: 33))
    }

    func testWritesWhatGoWrites() throws {
        let cases: [(String, any Encodable)] = [
            ("int3", 3),
            ("string", "subject"),
            ("put-args", LabRPC.PutArgs(key: "subject", value: "6.5840")),
            ("put-reply", LabRPC.PutReply(err: .ok)),
            ("put-reply-zero", PutReply(Err: "")),
            ("empty-struct", GoEmptyStruct()),
            ("get-reply", LabRPC.GetReply(err: .ok, value: "6.5840")),
            ("arith-request", ArithRequest(a: -7, b: 3)),
            ("request", GoRequestHeader(serviceMethod: "KV.Put", seq: 1)),
            ("response-error", GoResponseHeader(serviceMethod: "KV.Nope", seq: 2, error: "rpc: can't find method KV.Nope")),
            ("kinds-extremes", Kinds(I: .min, U: .max, B: true, F: 17, S: String(repeating: "x", count: 200), Bytes: [0, 255])),
            ("kinds-zero", Kinds(I: 0, U: 0, B: false, F: 0, S: "", Bytes: [])),
            ("kinds-max", Kinds(I: .max, U: 128, B: false, F: -0.5, S: "héllo, 世界", Bytes: Array(repeating: 7, count: 130))),
            ("map-int-keys", [-1: "minus one"]),
            ("slice-of-structs", [Inner(Name: "a", N: 1), Inner(Name: "", N: 0)]),
            ("empty-map", WithMap(M: [:], N: 1)),  // Go sends an empty map that is not nil
        ]
        for (name, value) in cases {
            XCTAssertEqual(try encoded(value), Self.golden[name], name)
        }
    }

    /// What Go's rpc.Client writes for its first call on a connection, `Put("subject", "6.5840")`
    /// (captured from Go 1.19 through a net.Pipe): the lab's client writes the same 121 bytes.
    func testTheFirstRequestIsGos() throws {
        let go = "2fff81030101075265717565737401ff8200010201" + "0d536572766963654d6574686f64010c000103536571010600000" +
            "00bff8201064b562e507574002" + "7ff83030101075075744172677301ff8400010201034b6579010c00010556616c7565010c0000" +
            "0014ff8401077375626a6563740106362e3538343000"
        XCTAssertEqual(try encoded(GoRequestHeader(serviceMethod: "KV.Put", seq: 0), LabRPC.PutArgs(key: "subject", value: "6.5840")), go)
        XCTAssertEqual(go.count / 2, 121)
    }

    func testReadsWhatGoWrites() throws {
        XCTAssertEqual(try decode(Int.self, "int3"), 3)
        XCTAssertEqual(try decode(String.self, "string"), "subject")
        XCTAssertEqual(try decode(LabRPC.PutArgs.self, "put-args"), LabRPC.PutArgs(key: "subject", value: "6.5840"))
        XCTAssertEqual(try decode(LabRPC.GetReply.self, "get-reply"), LabRPC.GetReply(err: .ok, value: "6.5840"))
        XCTAssertEqual(try decode(PutReply.self, "put-reply-zero"), PutReply(Err: ""))
        XCTAssertEqual(try decode(GoEmptyStruct.self, "empty-struct"), GoEmptyStruct())
        XCTAssertEqual(try decode(ArithRequest.self, "arith-request"), ArithRequest(a: -7, b: 3))
        XCTAssertEqual(try decode(GoResponseHeader.self, "response-error"),
                       GoResponseHeader(serviceMethod: "KV.Nope", seq: 2, error: "rpc: can't find method KV.Nope"))
        XCTAssertEqual(try decode(Kinds.self, "kinds-extremes"),
                       Kinds(I: .min, U: .max, B: true, F: 17, S: String(repeating: "x", count: 200), Bytes: [0, 255]))
        XCTAssertEqual(try decode(Kinds.self, "kinds-zero"), Kinds(I: 0, U: 0, B: false, F: 0, S: "", Bytes: []))
        XCTAssertEqual(try decode(Kinds.self, "kinds-max"),
                       Kinds(I: .max, U: 128, B: false, F: -0.5, S: "héllo, 世界", Bytes: Array(repeating: 7, count: 130)))
        XCTAssertEqual(try decode(Nested.self, "nested"),
                       Nested(Title: "t", Inner: Inner(Name: "in", N: 1), Items: [Inner(Name: "a", N: 0), Inner(Name: "", N: 2)],
                              Counts: ["k": 5], Tags: ["", "b"]))
        XCTAssertEqual(try decode(Nested.self, "nested-zero"), Nested(Title: "", Inner: Inner(Name: "", N: 0), Items: [], Counts: [:], Tags: []))
        XCTAssertEqual(try decode(WithArray.self, "with-array"), WithArray(Grid: [0, 9, 0], Name: "g"))
        XCTAssertEqual(try decode([Int: String].self, "map-int-keys"), [-1: "minus one"])
        XCTAssertEqual(try decode([Inner].self, "slice-of-structs"), [Inner(Name: "a", N: 1), Inner(Name: "", N: 0)])
        XCTAssertEqual(try decoded(golden("point-twice")).count, 2)
        XCTAssertEqual(try decode(WithMap.self, "empty-map"), WithMap(M: [:], N: 1))
    }

    /// Nested types: Go names them by its package (`[]main.Inner`), so the bytes differ there;
    /// what must hold is that each side reads the other's.
    func testNestedTypesRoundTrip() throws {
        let v = Nested(Title: "t", Inner: Inner(Name: "in", N: 1), Items: [Inner(Name: "a", N: 0), Inner(Name: "", N: 2)],
                       Counts: ["k": 5], Tags: ["", "b"])
        var out = GobOutput()
        var bytes: [UInt8] = []
        try out.write(v, into: &bytes)
        try out.write(v, into: &bytes)
        let values = try decoded(bytes)
        XCTAssertEqual(values.count, 2)
        for value in values { XCTAssertEqual(try GobDecoding.decode(Nested.self, from: value), v) }
        // Go's definitions, in Go's order and with Go's ids, apart from the names.
        let go = golden("nested")
        XCTAssertEqual(try messages(bytes), try messages(go) + [.value(typeID: 65)])
        XCTAssertEqual(try GobDecoding.decode(Nested.self, from: try decoded(go)[0]), v)
        // All zero: empty slices are left out, the nested struct is sent empty, and an empty
        // [Inner] is not mistaken for an empty [UInt8]. (The empty map is sent: see "empty-map".)
        let zero = Nested(Title: "", Inner: Inner(Name: "", N: 0), Items: [], Counts: [:], Tags: [])
        var zeroOut = GobOutput()
        var zeroBytes: [UInt8] = []
        try zeroOut.write(zero, into: &zeroBytes)
        XCTAssertEqual(try GobDecoding.decode(Nested.self, from: try decoded(zeroBytes)[0]), zero)
        XCTAssertEqual(try GobDecoding.decode(Nested.self, from: try decoded(golden("nested-zero"))[0]), zero)
    }

    /// A hand-written `encode(to:)` may give the fields in any order; Go's are in field order.
    struct Reversed: Codable, Equatable {
        var X, Y: Int
        var Name: String
        enum CodingKeys: String, CodingKey { case X, Y, Name }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(Name, forKey: .Name)
            try c.encode(Y, forKey: .Y)
            try c.encode(X, forKey: .X)
        }
    }

    struct Twice: Codable {
        var X: Int
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(X, forKey: .X)
            try c.encode(X, forKey: .X)
        }
    }

    func testFieldsInAnyOrderAreSentInFieldOrder() throws {
        struct InOrder: Codable { var X, Y: Int; var Name: String }
        let r = Reversed(X: 22, Y: 0, Name: "p")
        let reversed = try encoded(r)
        XCTAssertEqual(reversed.suffix(20), try encoded(InOrder(X: 22, Y: 0, Name: "p")).suffix(20))
        XCTAssertEqual(try GobDecoding.decode(Reversed.self, from: try decoded(Self.bytes(reversed))[0]), r)
        XCTAssertThrowsError(try encoded(Twice(X: 1))) { XCTAssertTrue("\($0)".contains("encoded twice"), "\($0)") }
    }

    func testDecodingChecksTypesAndRanges() throws {
        let big = try decoded(golden("kinds-extremes"))[0]
        struct Narrow: Codable { var I: Int32 }
        struct Unsigned: Codable { var I: UInt64 }
        struct Text: Codable { var I: String }
        XCTAssertThrowsError(try GobDecoding.decode(Narrow.self, from: big)) { XCTAssertTrue("\($0)".contains("overflows Int32"), "\($0)") }
        XCTAssertThrowsError(try GobDecoding.decode(Unsigned.self, from: big)) { XCTAssertTrue("\($0)".contains("int cannot be decoded as UInt64"), "\($0)") }
        XCTAssertThrowsError(try GobDecoding.decode(Text.self, from: big))
        // Fields the receiver lacks are skipped; fields the sender lacks are zero.
        struct Partial: Codable, Equatable { var S: String; var Missing: Int }
        XCTAssertEqual(try GobDecoding.decode(Partial.self, from: big), Partial(S: String(repeating: "x", count: 200), Missing: 0))
        // A Go string may hold any bytes; a Swift String cannot: an error, not a silent change.
        var out = GobOutput()
        var bytes: [UInt8] = []
        try out.write(Kinds(I: 0, U: 0, B: false, F: 0, S: "ab", Bytes: []), into: &bytes)
        let at = bytes.lastIndex(of: UInt8(ascii: "b"))!
        bytes[at] = 0xff
        XCTAssertThrowsError(try GobDecoding.decode(Kinds.self, from: try decoded(bytes)[0])) { XCTAssertTrue("\($0)".contains("not UTF-8"), "\($0)") }
    }

    // MARK: - Hostile streams: each ends in an error, never a crash or a hang.

    func assertRefused(_ bytes: [UInt8], _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try decoded(bytes), file: file, line: line) {
            XCTAssertTrue("\($0)".contains(expected), "\($0)", file: file, line: line)
        }
    }

    func testRefusesHostileStreams() throws {
        // A length of 2^30 and more: no gob stream, refused before anything is kept.
        var framer = GobFramer(limit: 1 << 20)
        framer.append([0xfc, 0x40, 0x00, 0x00, 0x00])
        XCTAssertThrowsError(try framer.next()) { XCTAssertTrue("\($0)".contains("no gob stream sends one over"), "\($0)") }
        // Over the limit and under 2^30: dropped as it arrives, and the next message is read.
        var small = GobFramer(limit: 100)
        small.append([0xfe, 0x00, 0xc8] + Array(repeating: 7, count: 150))
        XCTAssertNil(try small.next())
        XCTAssertEqual(small.pending, 0, "nothing of it is kept")
        small.append(Array(repeating: 7, count: 50) + [0x03, 0x04, 0x00, 0x06])
        XCTAssertEqual(try small.next(), .tooLarge(200))
        XCTAssertEqual(try small.next(), .message([0x04, 0x00, 0x06]))
        var huge = GobFramer(limit: 1 << 20)
        huge.append([0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        XCTAssertThrowsError(try huge.next())
        // An unsigned value longer than 8 bytes.
        assertRefused([0x0b, 0x04, 0x00, 0xf7, 1, 2, 3, 4, 5, 6, 7, 8, 9], "longer than 8 bytes")
        // A type defined twice.
        let point = golden("point")
        let definition = Array(point[0..<32])
        assertRefused(definition + definition, "duplicate type")
        // A definition of one of Go's own ids.
        var own = definition
        own[2] = 0x1f  // -16: wireType
        own[1] = 0xff
        assertRefused(own, "duplicate type")
        // A value of a type never defined.
        assertRefused(Array(point[32...]), "undefined type 65")
        // A count larger than the message.
        assertRefused([0x04, 0x0c, 0x00, 0x7f, 0x61], "exceeds")
        // A field number beyond the struct's fields.
        assertRefused(definition + [0x05, 0xff, 0x82, 0x03, 0x02, 0x00], "has 2")
        // A field number past the last, after a field: a delta of 2^64 - 1 (this crashed the
        // server once, in the error message's own arithmetic).
        assertRefused(definition + [0x0d, 0xff, 0x82, 0x02, 0x2c, 0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "after field 1")
        // A field of no type in a definition.
        assertRefused([0x10, 0xff, 0x81, 0x03, 0x01, 0x01, 0x01, 0x54, 0x01, 0xff, 0x82, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00], "has no type")
        // A name of 2,000 bytes in a definition (a connection keeps its definitions).
        var longName: [UInt8] = []
        GobTestWire.message([0xff, 0x81, 0x03, 0x01, 0x01, 0xfe, 0x07, 0xd0] + [UInt8](repeating: 0x41, count: 2000) + [0x01, 0xff, 0x82, 0x00, 0x00, 0x00], into: &longName)
        assertRefused(longName, "a name of 2000 bytes")
        // Extra bytes after a value.
        assertRefused([0x04, 0x04, 0x00, 0x06, 0x06], "extra data")
        // A message of 0 bytes.
        assertRefused([0x00], "0 bytes")
    }

    /// A struct whose field is itself (Go's linked list through a pointer): legal, and each value
    /// is finite, but one nested deeper than the limit is refused rather than recursed into.
    func testSelfReferencingTypesAndDeepNesting() throws {
        // type Node struct { Next *Node; V int } defined as id 65 with field Next of type 65.
        var def: [UInt8] = [0xff, 0x81, 0x03, 0x01, 0x01, 0x04] + Array("Node".utf8) + [0x01, 0xff, 0x82, 0x00,
                            0x01, 0x02, 0x01, 0x04] + Array("Next".utf8) + [0x01, 0xff, 0x82, 0x00, 0x01, 0x01, 0x56, 0x01, 0x04, 0x00, 0x00, 0x00]
        var stream: [UInt8] = []
        GobTestWire.message(def, into: &stream)
        def = []
        // A chain 3 deep is read.
        var value: [UInt8] = [0xff, 0x82]
        for _ in 0..<3 { value += [0x01] }  // Next, Next, Next
        value += [0x02, 0x0e, 0x00, 0x00, 0x00, 0x00]  // V = 7, then four ends
        var ok = stream
        GobTestWire.message(value, into: &ok)
        XCTAssertEqual(try decoded(ok).count, 1)
        // 10,000 deep is refused.
        var deep: [UInt8] = [0xff, 0x82] + Array(repeating: 0x01, count: 10_000) + Array(repeating: 0x00, count: 10_001)
        var bad = stream
        GobTestWire.message(deep, into: &bad)
        deep = []
        assertRefused(bad, "nested deeper than")
        // A slice whose element is itself (type T []T), nested deep: refused the same way.
        let sliceDef: [UInt8] = [0xff, 0x81, 0x02, 0x01, 0x01, 0x01, 0x54, 0x01, 0xff, 0x82, 0x00, 0x01, 0xff, 0x82, 0x00, 0x00]
        var s: [UInt8] = []
        GobTestWire.message(sliceDef, into: &s)
        GobTestWire.message([0xff, 0x82, 0x00] + Array(repeating: 0x01, count: 5_000) + [0x00], into: &s)
        assertRefused(s, "nested deeper than")
    }

    /// A message of two million empty structs (a million bytes, each costing a value in memory)
    /// is refused, not built.
    func testAMessageOfTooManyValuesIsRefused() throws {
        var stream: [UInt8] = []
        GobTestWire.message([0xff, 0x81, 0x03, 0x01, 0x02, 0xff, 0x82, 0x00, 0x00, 0x00], into: &stream)  // struct{} as 65
        GobTestWire.message([0xff, 0x83, 0x02, 0x01, 0x02, 0xff, 0x84, 0x00, 0x01, 0xff, 0x82, 0x00, 0x00], into: &stream)  // []65 as 66
        let n = (2 << 20) + 10
        var value: [UInt8] = [0xff, 0x84, 0x00, 0xfd, UInt8(n >> 16), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
        value += [UInt8](repeating: 0, count: n)
        GobTestWire.message(value, into: &stream)
        var framer = GobFramer(limit: 4 << 20)
        framer.append(stream)
        var input = GobInput()
        XCTAssertThrowsError(try { while case .message(let m)? = try framer.next() { _ = try input.read(m, 0..<m.count) } }()) {
            XCTAssertTrue("\($0)".contains("more than 2097152 values"), "\($0)")
        }
    }

    /// A map sent with a key twice: the last counts, as in Go.
    func testAMapKeySentTwiceKeepsTheLast() throws {
        var stream: [UInt8] = []
        GobTestWire.message([0xff, 0x81, 0x04, 0x01, 0x02, 0xff, 0x82, 0x00, 0x01, 0x0c, 0x01, 0x04, 0x00, 0x00], into: &stream)  // map[string]int
        GobTestWire.message([0xff, 0x82, 0x00, 0x02, 0x01, 0x6b, 0x02, 0x01, 0x6b, 0x04], into: &stream)  // {"k": 1, "k": 2}
        XCTAssertEqual(try GobDecoding.decode([String: Int].self, from: try decoded(stream)[0]), ["k": 2])
    }

    /// What gob cannot say (a nested container in a hand-written encode(to:)) is an error, never a
    /// crash: a reply type's own code must not be able to take the server down.
    struct Nesting: Codable {
        var A: Int
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            var inner = c.nestedContainer(keyedBy: CodingKeys.self, forKey: .A)
            try inner.encode(A, forKey: .A)
        }
    }

    /// Decodes one string, encodes a struct: its field cannot say that in gob.
    struct Mismatched: Codable {
        var s: String
        init(s: String) { self.s = s }
        init(from decoder: any Decoder) throws { s = try decoder.singleValueContainer().decode(String.self) }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: GobTestKey.self)
            try c.encode(s, forKey: GobTestKey(stringValue: "S")!)
        }
    }

    struct HoldsMismatched: Codable { var M: Mismatched }

    func testWhatGobCannotSayIsAnError() throws {
        XCTAssertThrowsError(try encoded(Nesting(A: 1))) { XCTAssertTrue("\($0)".contains("nested container is not supported"), "\($0)") }
        XCTAssertThrowsError(try encoded(HoldsMismatched(M: Mismatched(s: "x")))) {
            XCTAssertTrue("\($0)".contains("Mismatched encodes no single value, where its init(from:) decodes one"), "\($0)")
        }
    }

    /// Every prefix of every golden stream, and 20,000 streams with random bytes changed: each
    /// read ends, with values or with an error.
    func testTruncatedAndMutatedStreamsEndInAnError() throws {
        for (name, hex) in Self.golden {
            let full = Self.bytes(hex)
            for cut in 0..<full.count {
                var framer = GobFramer()
                framer.append(full[0..<cut])
                var input = GobInput()
                do {
                    while case .message(let m)? = try framer.next() { _ = try input.read(m, 0..<m.count) }
                } catch {}
                XCTAssertLessThanOrEqual(framer.pending, cut, name)
            }
            // A message cut short inside (its length says more than it holds) is an error.
            if full.count > 3 {
                var short = full
                short[0] = short[0] &+ 1
                XCTAssertThrowsError(try decoded(short), name)
            }
        }
        var rng = SystemRandomNumberGenerator()
        let streams = Self.golden.values.map(Self.bytes)
        var errors = 0
        for _ in 0..<20_000 {
            var b = streams.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) { b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            do { _ = try decoded(b) } catch { errors += 1 }
        }
        XCTAssertGreaterThan(errors, 1000, "random changes are mostly caught")
    }
}

/// Writes a message (length, then bytes), as a test builds a stream by hand.
enum GobTestWire {
    static func message(_ body: [UInt8], into out: inout [UInt8]) {
        var length: [UInt8] = []
        var n = UInt64(body.count)
        if n < 0x80 {
            length = [UInt8(n)]
        } else {
            var bytes: [UInt8] = []
            while n > 0 { bytes.insert(UInt8(n & 0xff), at: 0); n >>= 8 }
            length = [UInt8(truncatingIfNeeded: -bytes.count)] + bytes
        }
        out += length + body
    }
}

struct GobTestKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
