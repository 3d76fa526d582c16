// Decodable from a gob value, as Go's decoder fills a variable: fields matched by name, fields
// that were not sent (or that the receiver lacks) left at their zero value, signed integers only
// into signed types and unsigned into unsigned, and a value that does not fit is an error.

import Foundation

public enum GobDecoding {
    /// `T` from `value`.
    public static func decode<T: Decodable>(_ type: T.Type, from value: GobValue) throws -> T {
        try GobValueDecoder(value, []).decode(T.self)
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

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "the sender's \(value.kind) cannot be decoded as \(type)"))
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
        var fields: [GobValue.Field]
        switch value {
        case .structValue(_, let f): fields = f
        case .zero: fields = []
        case .map(let pairs):  // a Dictionary with String or Int keys
            fields = []
            for p in pairs {
                switch p.key {
                case .string(let s): fields.append(.init(name: try Self.string(s, codingPath), value: p.value))
                case .int(let i): fields.append(.init(name: String(i), value: p.value))
                case .uint(let u): fields.append(.init(name: String(u), value: p.value))
                default: throw mismatch([String: Any].self)
                }
            }
        default: throw mismatch(Key.self)
        }
        return KeyedDecodingContainer(Keyed<Key>(fields: fields, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .list(let items): return Unkeyed(items: items, codingPath: codingPath)
        case .zero: return Unkeyed(items: [], codingPath: codingPath)
        case .map(let pairs): return Unkeyed(items: pairs.flatMap { [$0.key, $0.value] }, codingPath: codingPath)
        default: throw mismatch([Any].self)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    static func string(_ b: ArraySlice<UInt8>, _ path: [any CodingKey]) throws -> String {
        guard let s = String(validating: b, as: UTF8.self) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "a string that is not UTF-8 (Swift's String holds only UTF-8; Go's may hold any bytes)"))
        }
        return s
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [GobValue.Field]
        let codingPath: [any CodingKey]
        var allKeys: [Key] { fields.compactMap { Key(stringValue: $0.name) } }
        func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }
        func child(_ key: Key) -> GobValueDecoder { GobValueDecoder(fields[key.stringValue] ?? .zero, codingPath + [key]) }
        func decodeNil(forKey key: Key) throws -> Bool { (fields[key.stringValue] ?? .zero) == .zero }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(T.self) }
        // The common fields without a decoder of their own for each.
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            switch fields[key.stringValue] {
            case .string(let s): return try GobValueDecoder.string(s, codingPath + [key])
            case nil: return ""
            default: return try child(key).decode(type)
            }
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
            switch fields[key.stringValue] {
            case .int(let i) where i >= Int.min && i <= Int.max: return Int(i)
            case nil: return 0
            default: return try child(key).decode(type)
            }
        }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
            switch fields[key.stringValue] {
            case .uint(let u): return u
            case nil: return 0
            default: return try child(key).decode(type)
            }
        }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            switch fields[key.stringValue] {
            case .bool(let b): return b
            case nil: return false
            default: return try child(key).decode(type)
            }
        }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            try child(key).container(keyedBy: N.self)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
        func superDecoder() throws -> any Decoder { GobValueDecoder(fields["super"] ?? .zero, codingPath) }
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
