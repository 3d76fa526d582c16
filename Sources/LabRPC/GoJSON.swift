/// Codable to and from JSON as Go's `encoding/json` writes and reads it, for the lab's RPC
/// messages: struct fields in declaration order (the order of `CodingKeys`), `<`, `>` and `&`
/// escaped as Go escapes them, integers and strings read straight from the message's bytes, field
/// names matched in any case, and a missing or `null` field read as its zero value (`""`, `0`,
/// `false`, an empty struct), as Go does. Foundation's coders write fields in another order in
/// every run, and they are slower: the same server with `JSONDecoder` and `JSONEncoder` in
/// place of these served Go's load client 45,997 calls/s against 54,269, with Go's own server at
/// 53,563 in the same run (`make bench-rpc`'s load, 7 rounds alternated): below Go with them,
/// level with it without. These build no intermediate tree of values or coding paths.
public enum GoJSON {
    /// The JSON of `value`, as Go's `json.Marshal` writes it.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let node = EncodingNode()
        try value.encode(to: GoEncoder(node: node, codingPath: []))
        var out: [UInt8] = []
        out.reserveCapacity(64)
        try node.render(into: &out, path: [])
        return out
    }

    /// Decodes the JSON value at `range` of `bytes` (the whole array when nil). An empty range
    /// stands for a value that is not there, and decodes to the zero value, as Go leaves a
    /// variable it has nothing to decode into.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], at range: Range<Int>? = nil) throws -> T {
        if let range, range.isEmpty { return try T(from: GoDecoder(bytes: bytes, range: range, codingPath: [])) }
        var s = JSONScan.Scanner(b: bytes, i: range?.lowerBound ?? 0)
        let value: Range<Int>
        do {
            value = try s.value()
            s.space()
        } catch is JSONScan.TooDeep {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "nested deeper than \(JSONFramer.maxDepth)"))
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "malformed JSON"))
        }
        guard s.i == (range?.upperBound ?? bytes.count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "malformed JSON"))
        }
        return try T(from: GoDecoder(bytes: bytes, range: value, codingPath: []))
    }

    /// Appends `s` as a JSON string literal, escaped as Go escapes it.
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        func hex(_ d: UInt8) -> UInt8 { d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "a") + d - 10 }
        out.append(UInt8(ascii: "\""))
        var utf8 = s.utf8.makeIterator()
        while let c = utf8.next() {
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), c]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex(c >> 4), hex(c & 0xF)]
            case 0xE2:  // U+2028 and U+2029 (E2 80 A8/A9), which Go escapes for JavaScript's sake
                let c2 = utf8.next(), c3 = utf8.next()
                if c2 == 0x80, let c3, c3 == 0xA8 || c3 == 0xA9 {
                    out += Array("\\u202".utf8) + [c3 == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")]
                } else {
                    out.append(c)
                    if let c2 { out.append(c2) }
                    if let c3 { out.append(c3) }
                }
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

// MARK: - Encoding

/// What one value encoded to: bytes, and the nested values whose containers may still be filled.
final class EncodingNode {
    enum Kind { case empty, object, array, value }
    enum Part {
        case bytes([UInt8])
        case child(EncodingNode)
    }
    var kind = Kind.empty
    var parts: [Part] = []
    var current: [UInt8] = []
    var count = 0

    func become(_ k: Kind) {
        if kind == .empty { kind = k }
    }

    /// Starts the next member: a comma after the first, then `"key":` for an object.
    func member(_ key: String?) {
        if count > 0 { current.append(UInt8(ascii: ",")) }
        count += 1
        if let key {
            GoJSON.appendQuoted(key, to: &current)
            current.append(UInt8(ascii: ":"))
        }
    }

    func child() -> EncodingNode {
        if !current.isEmpty { parts.append(.bytes(current)); current = [] }
        let n = EncodingNode()
        parts.append(.child(n))
        return n
    }

    func render(into out: inout [UInt8], path: [any CodingKey]) throws {
        switch kind {
        case .object: out.append(UInt8(ascii: "{"))
        case .array: out.append(UInt8(ascii: "["))
        case .value: break
        case .empty: throw EncodingError.invalidValue((), .init(codingPath: path, debugDescription: "a value that encoded nothing"))
        }
        for p in parts {
            switch p {
            case .bytes(let b): out += b
            case .child(let n): try n.render(into: &out, path: path)
            }
        }
        out += current
        switch kind {
        case .object: out.append(UInt8(ascii: "}"))
        case .array: out.append(UInt8(ascii: "]"))
        default: break
        }
    }

    /// A primitive, as Go writes it.
    func write(_ s: String) { GoJSON.appendQuoted(s, to: &current) }
    func write(_ b: Bool) { current.append(contentsOf: (b ? "true" : "false").utf8) }
    func write<T: BinaryInteger>(_ i: T) { current.append(contentsOf: String(i).utf8) }
    func write(_ d: Double, _ path: [any CodingKey]) throws {
        guard d.isFinite else { throw EncodingError.invalidValue(d, .init(codingPath: path, debugDescription: "json: unsupported value: \(d)")) }
        if d == d.rounded(), abs(d) < 1e21 { current += Array(String(Int64(d)).utf8) } else { current += Array("\(d)".utf8) }
    }
    func writeNull() { current.append(contentsOf: "null".utf8) }

    /// A nested Encodable: primitives are written in place, anything else gets a child node.
    func write<T: Encodable>(_ v: T, _ path: [any CodingKey]) throws {
        switch v {
        case let s as String: write(s)
        case let i as Int: write(i)
        case let b as Bool: write(b)
        default: try v.encode(to: GoEncoder(node: child(), codingPath: path))
        }
    }
}

struct GoEncoder: Encoder {
    let node: EncodingNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.become(.object)
        return KeyedEncodingContainer(KeyedEncoding<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.become(.array)
        return UnkeyedEncoding(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        node.become(.value)
        return SingleEncoding(node: node, codingPath: codingPath)
    }
}

struct KeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) { node.member(key.stringValue); node.writeNull() }
    mutating func encode(_ v: Bool, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: String, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: Double, forKey key: Key) throws { node.member(key.stringValue); try node.write(v, codingPath + [key]) }
    mutating func encode(_ v: Float, forKey key: Key) throws { node.member(key.stringValue); try node.write(Double(v), codingPath + [key]) }
    mutating func encode(_ v: Int, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: Int8, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: Int16, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: Int32, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: Int64, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: UInt, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: UInt8, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: UInt16, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: UInt32, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode(_ v: UInt64, forKey key: Key) { node.member(key.stringValue); node.write(v) }
    mutating func encode<T: Encodable>(_ v: T, forKey key: Key) throws { node.member(key.stringValue); try node.write(v, codingPath + [key]) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        node.member(key.stringValue)
        return GoEncoder(node: node.child(), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        node.member(key.stringValue)
        return GoEncoder(node: node.child(), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        node.member(key.stringValue)
        return GoEncoder(node: node.child(), codingPath: codingPath + [key])
    }
}

struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ i: Int) { intValue = i }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}

struct UnkeyedEncoding: UnkeyedEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() { node.member(nil); node.writeNull() }
    mutating func encode(_ v: Bool) { node.member(nil); node.write(v) }
    mutating func encode(_ v: String) { node.member(nil); node.write(v) }
    mutating func encode(_ v: Double) throws { node.member(nil); try node.write(v, codingPath) }
    mutating func encode(_ v: Int) { node.member(nil); node.write(v) }
    mutating func encode<T: Encodable>(_ v: T) throws {
        let key = IndexKey(count)
        node.member(nil)
        try node.write(v, codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        node.member(nil)
        return GoEncoder(node: node.child(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        node.member(nil)
        return GoEncoder(node: node.child(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        node.member(nil)
        return GoEncoder(node: node.child(), codingPath: codingPath)
    }
}

struct SingleEncoding: SingleValueEncodingContainer {
    let node: EncodingNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() { node.writeNull() }
    mutating func encode(_ v: Bool) { node.write(v) }
    mutating func encode(_ v: String) { node.write(v) }
    mutating func encode(_ v: Double) throws { try node.write(v, codingPath) }
    mutating func encode(_ v: Float) throws { try node.write(Double(v), codingPath) }
    mutating func encode(_ v: Int) { node.write(v) }
    mutating func encode(_ v: Int8) { node.write(v) }
    mutating func encode(_ v: Int16) { node.write(v) }
    mutating func encode(_ v: Int32) { node.write(v) }
    mutating func encode(_ v: Int64) { node.write(v) }
    mutating func encode(_ v: UInt) { node.write(v) }
    mutating func encode(_ v: UInt8) { node.write(v) }
    mutating func encode(_ v: UInt16) { node.write(v) }
    mutating func encode(_ v: UInt32) { node.write(v) }
    mutating func encode(_ v: UInt64) { node.write(v) }
    mutating func encode<T: Encodable>(_ v: T) throws { try node.write(v, codingPath) }
}

// MARK: - Decoding

/// A value in a message: its bytes and where it is, read only when a container asks for it.
/// An empty range is a value that is not there (a missing field): it reads as `null` does, as
/// the zero value of whatever is asked for.
struct GoDecoder: Decoder {
    let bytes: [UInt8]
    let range: Range<Int>
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var first: UInt8 { range.isEmpty ? UInt8(ascii: "n") : bytes[range.lowerBound] }
    var isNull: Bool { first == UInt8(ascii: "n") }

    func mismatch(_ type: Any.Type) -> DecodingError {
        isNull ? .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "null"))
            : .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(String(decoding: bytes[range].prefix(20), as: UTF8.self))"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if isNull { return KeyedDecodingContainer(KeyedDecoding<Key>(decoder: self, fields: [])) }
        guard first == UInt8(ascii: "{") else { throw mismatch([String: Any].self) }
        var s = JSONScan.Scanner(b: bytes, i: range.lowerBound)
        var fields: [(name: Range<Int>, value: Range<Int>)] = []
        try s.object { fields.append(($0, $1)) }
        return KeyedDecodingContainer(KeyedDecoding<Key>(decoder: self, fields: fields))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        if isNull { return UnkeyedDecoding(decoder: self, elements: []) }
        guard let elements = JSONScan.arrayElements(bytes, range) else { throw mismatch([Any].self) }
        return UnkeyedDecoding(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleDecoding(decoder: self) }

    func at(_ r: Range<Int>, _ key: any CodingKey) -> GoDecoder {
        GoDecoder(bytes: bytes, range: r, codingPath: codingPath + [key])
    }

    // Primitives, read from the bytes.
    func string() throws -> String {
        if isNull { return "" }
        guard first == UInt8(ascii: "\""), let s = JSONScan.string(bytes, range) else { throw mismatch(String.self) }
        return s
    }

    func bool() throws -> Bool {
        switch first {
        case UInt8(ascii: "n"): return false
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: throw mismatch(Bool.self)
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        if isNull { return 0 }
        var i = range.lowerBound
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var magnitude: UInt64 = 0
        guard i < range.upperBound else { throw mismatch(type) }
        while i < range.upperBound {
            let c = bytes[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { throw mismatch(type) }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (n, o2) = m.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw mismatch(type) }
            magnitude = n
            i += 1
        }
        let value: T?
        if negative {
            value = magnitude == UInt64(Int64.max) + 1 ? T(exactly: Int64.min) : Int64(exactly: magnitude).flatMap { T(exactly: -$0) }
        } else {
            value = T(exactly: magnitude)
        }
        guard let value else { throw mismatch(type) }
        return value
    }

    func double() throws -> Double {
        if isNull { return 0 }
        guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
              let d = Double(String(decoding: bytes[range], as: UTF8.self)) else { throw mismatch(Double.self) }
        return d
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is String.Type: return try string() as! T
        case is Int.Type: return try integer(Int.self) as! T
        case is Bool.Type: return try bool() as! T
        default: return try T(from: self)
        }
    }
}

struct KeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: GoDecoder
    let fields: [(name: Range<Int>, value: Range<Int>)]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { fields.compactMap { JSONScan.string(decoder.bytes, $0.name).flatMap(Key.init(stringValue:)) } }

    /// Go's rule: a member whose name is the field's in any case; the last such that is not
    /// `null` (a `null` leaves a field as it was), else a `null`.
    func find(_ key: Key) -> Range<Int>? {
        JSONScan.lastMatch(decoder.bytes, fields, key.stringValue, skippingNull: true)
    }

    /// The field's value; a missing field is an empty range, which decodes to the zero value.
    func value(_ key: Key) throws -> GoDecoder {
        decoder.at(find(key) ?? 0..<0, key)
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(key).double() }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try value(key).double()) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(key).integer(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(key).integer(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(key).integer(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(key).integer(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(key).integer(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(key).integer(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(key).integer(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(key).integer(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(key).integer(type) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try value(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try value(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder { try value(Key(stringValue: "super")!) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try value(key) }
}

struct UnkeyedDecoding: UnkeyedDecodingContainer {
    let decoder: GoDecoder
    let elements: [Range<Int>]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next() throws -> GoDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the array has only \(elements.count) elements"))
        }
        defer { currentIndex += 1 }
        return decoder.at(elements[currentIndex], IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.at(elements[currentIndex], IndexKey(currentIndex)).isNull else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleDecoding: SingleValueDecodingContainer {
    let decoder: GoDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool() }
    func decode(_ type: String.Type) throws -> String { try decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.double() }
    func decode(_ type: Float.Type) throws -> Float { Float(try decoder.double()) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }
}
