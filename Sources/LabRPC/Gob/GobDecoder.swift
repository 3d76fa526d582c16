// Decodable from a gob value, as Go's decoder fills a variable: fields matched by name, fields
// that were not sent (or that the receiver lacks) left at their zero value, signed integers only
// into signed types and unsigned into unsigned, and a value that does not fit is an error.

import Foundation

public enum GobDecoding {
    /// `T` from `value`.
    public static func decode<T: Decodable>(_ type: T.Type, from value: GobValue) throws -> T {
        try GobValueDecoder(value, []).decode(T.self)
    }

    /// `T` from `value`, refused as Go refuses it when the sender's struct and `T` have fields
    /// and none in common: a `T` with other field names (`key` where Go has `Key`) would
    /// otherwise get zero values without a word.
    static func decode<T: Decodable>(_ type: T.Type, from value: GobValue, schema: GobSchema) throws -> T {
        if case .structValue(_, _, let declared) = value, !declared.isEmpty, case .structType(let fields) = schema.kind,
           !fields.isEmpty, !fields.contains(where: { declared.contains($0.name) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "type mismatch: no fields matched: the sender's \(value.kind) has \(declared.joined(separator: ", ")); \(T.self) has \(fields.map(\.name).joined(separator: ", "))"))
        }
        return try decode(T.self, from: value)
    }
}

struct GobKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = Int(stringValue) }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

final class GobValueDecoder: Decoder {
    let value: GobValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: GobValue, _ codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    func mismatch(_ type: Any.Type) -> DecodingError { mismatch("\(type)") }

    func mismatch(_ what: String) -> DecodingError {
        let at = codingPath.isEmpty ? "" : " at " + codingPath.map(\.stringValue).joined(separator: ".")
        return .dataCorrupted(.init(codingPath: codingPath, debugDescription: "the sender's \(value.kind) cannot be decoded as \(what)\(at)"))
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == [UInt8].self || T.self == Data.self {
            let b: ArraySlice<UInt8>
            switch value {
            case .bytes(let x): b = x
            case .zero: b = []
            default: throw mismatch(T.self)
            }
            return (T.self == Data.self ? Data(b) as Any : Array(b) as Any) as! T
        }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .structValue(_, let f, _): return KeyedDecodingContainer(Keyed<Key>(fields: f, index: nil, codingPath: codingPath))
        case .zero: return KeyedDecodingContainer(Keyed<Key>(fields: [], index: nil, codingPath: codingPath))
        case .map(let pairs):  // a Dictionary with String or Int keys: looked up by hashing, the last of a key counting
            var index: [String: GobValue] = [:]
            for p in pairs {
                switch p.key {
                case .string(let s): index[try Self.string(s, codingPath)] = p.value
                case .int(let i): index[String(i)] = p.value
                case .uint(let u): index[String(u)] = p.value
                default: throw mismatch("a map with string or integer keys")
                }
            }
            return KeyedDecodingContainer(Keyed<Key>(fields: [], index: index, codingPath: codingPath))
        default: throw mismatch("a struct or a map")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .list(let items): return Unkeyed(items: items, codingPath: codingPath)
        case .zero: return Unkeyed(items: [], codingPath: codingPath)
        case .map(let pairs): return Unkeyed(items: pairs.flatMap { [$0.key, $0.value] }, codingPath: codingPath)
        default: throw mismatch("a list")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    static func string(_ b: ArraySlice<UInt8>, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard let s = String(validating: b, as: UTF8.self) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "a string that is not UTF-8 (Swift's String holds only UTF-8; Go's may hold any bytes)"))
        }
        return s
    }

    /// A struct's fields (a few: found by looking along them) or a map's entries (any number:
    /// found by hashing).
    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [GobValue.Field]
        let index: [String: GobValue]?
        let codingPath: [any CodingKey]
        var allKeys: [Key] { index.map { $0.keys.compactMap { Key(stringValue: $0) } } ?? fields.compactMap { Key(stringValue: $0.name) } }
        func field(_ name: String) -> GobValue? { index.map { $0[name] } ?? fields[name] }
        func contains(_ key: Key) -> Bool { field(key.stringValue) != nil }
        func child(_ key: Key) -> GobValueDecoder { GobValueDecoder(field(key.stringValue) ?? .zero, codingPath + [key]) }
        func decodeNil(forKey key: Key) throws -> Bool { (field(key.stringValue) ?? .zero) == .zero }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(T.self) }
        // The common fields without a decoder of their own for each.
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            switch field(key.stringValue) {
            case .string(let s): return try GobValueDecoder.string(s, codingPath + [key])
            case nil: return ""
            default: return try child(key).decode(type)
            }
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
            switch field(key.stringValue) {
            case .int(let i) where i >= Int.min && i <= Int.max: return Int(i)
            case nil: return 0
            default: return try child(key).decode(type)
            }
        }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
            switch field(key.stringValue) {
            case .uint(let u): return u
            case nil: return 0
            default: return try child(key).decode(type)
            }
        }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            switch field(key.stringValue) {
            case .bool(let b): return b
            case nil: return false
            default: return try child(key).decode(type)
            }
        }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            try child(key).container(keyedBy: N.self)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
        func superDecoder() throws -> any Decoder { GobValueDecoder(field("super") ?? .zero, codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { child(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [GobValue]
        let codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        init(items: [GobValue], codingPath: [any CodingKey]) {
            self.items = items
            self.codingPath = codingPath
        }

        mutating func next() throws -> GobValueDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "no more elements"))
            }
            defer { currentIndex += 1 }
            return GobValueDecoder(items[currentIndex], codingPath + [GobKey(intValue: currentIndex)])
        }

        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(T.self) }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            try next().container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> any Decoder { try next() }
    }
}

extension GobValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .zero }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch value {
        case .bool(let b): return b
        case .zero: return false
        default: throw mismatch(type)
        }
    }

    func decode(_ type: String.Type) throws -> String {
        switch value {
        case .string(let s): return try Self.string(s, codingPath)
        case .zero: return ""
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .float(let d): return d
        case .zero: return 0
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Float.Type) throws -> Float {
        let d = try decode(Double.self)
        guard d.isNaN || d.isInfinite || abs(d) <= Double(Float.greatestFiniteMagnitude) else { throw overflow(d, type) }
        return Float(d)
    }

    func overflow(_ v: Any, _ type: Any.Type) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath, debugDescription: "value \(v) overflows \(type)"))
    }

    func signed<T: FixedWidthInteger & SignedInteger>(_ type: T.Type) throws -> T {
        switch value {
        case .int(let i):
            guard let v = T(exactly: i) else { throw overflow(i, type) }
            return v
        case .zero: return 0
        default: throw mismatch(type)
        }
    }

    func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type) throws -> T {
        switch value {
        case .uint(let u):
            guard let v = T(exactly: u) else { throw overflow(u, type) }
            return v
        case .zero: return 0
        default: throw mismatch(type)
        }
    }

    func decode(_ type: Int.Type) throws -> Int { try signed(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try signed(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try signed(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try signed(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try signed(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try unsigned(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unsigned(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unsigned(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unsigned(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unsigned(type) }
}
