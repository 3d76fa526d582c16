// What a Swift type looks like as gob, learned from the type itself: its `init(from:)` is run
// once on a probe decoder, which notes each field it asks for, by name and type, in the order it
// asks (a synthesized init asks in declaration order, as Go's definitions list fields). So a
// service's `Codable` types travel as gob with nothing added. A type whose init cannot run on
// zero values (a `RawRepresentable` enum, which refuses "") needs `CaseIterable`, so that the
// probe can take its first case instead.

import Foundation

/// How one Swift type travels as gob. Immutable once made; made once per type and kept.
final class GobSchema: @unchecked Sendable {
    enum Kind {
        case builtin(Int)
        case structType([Field])
        case slice(GobSchema)
        case map(GobSchema, GobSchema)
    }

    struct Field {
        let name: String
        let type: GobSchema
    }

    let kind: Kind
    /// The name in its definition, as Go writes names: `PutArgs`, `[]Inner`, `map[string]int`.
    let name: String
    /// The same for the same type, different otherwise: what a stream gives its id to.
    let key: String
    let fieldIndex: [String: Int]

    init(_ kind: Kind, name: String, key: String) {
        self.kind = kind
        self.name = name
        self.key = key
        if case .structType(let fields) = kind {
            fieldIndex = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        } else {
            fieldIndex = [:]
        }
    }

    static let bool = GobSchema(.builtin(GobTypeID.bool), name: "bool", key: "bool")
    static let int = GobSchema(.builtin(GobTypeID.int), name: "int", key: "int")
    static let uint = GobSchema(.builtin(GobTypeID.uint), name: "uint", key: "uint")
    static let float = GobSchema(.builtin(GobTypeID.float), name: "float64", key: "float")
    static let bytes = GobSchema(.builtin(GobTypeID.bytes), name: "[]uint8", key: "bytes")
    static let string = GobSchema(.builtin(GobTypeID.string), name: "string", key: "string")

    static func slice(of e: GobSchema) -> GobSchema { GobSchema(.slice(e), name: "[]" + e.name, key: "[]" + e.key) }
    static func map(_ k: GobSchema, _ e: GobSchema) -> GobSchema {
        GobSchema(.map(k, e), name: "map[\(k.name)]\(e.name)", key: "map[\(k.key)]\(e.key)")
    }

    // MARK: - Learning a type's schema

    private static let lock = NSLock()
    nonisolated(unsafe) private static var known: [ObjectIdentifier: (GobSchema, Any)] = [:]

    /// `T`'s schema.
    static func of<T: Decodable>(_ type: T.Type) throws -> GobSchema {
        try learn(T.self, []).0
    }

    /// `T`'s schema, and a value of `T` (zero where it can be) for the probe to hand its parent.
    static func learn<T: Decodable>(_ type: T.Type, _ inProgress: Set<ObjectIdentifier>) throws -> (GobSchema, T) {
        switch T.self {
        case is String.Type: return (string, "" as! T)
        case is Bool.Type: return (bool, false as! T)
        case is Int.Type: return (int, 0 as Int as! T)
        case is Int8.Type: return (int, 0 as Int8 as! T)
        case is Int16.Type: return (int, 0 as Int16 as! T)
        case is Int32.Type: return (int, 0 as Int32 as! T)
        case is Int64.Type: return (int, 0 as Int64 as! T)
        case is UInt.Type: return (uint, 0 as UInt as! T)
        case is UInt8.Type: return (uint, 0 as UInt8 as! T)
        case is UInt16.Type: return (uint, 0 as UInt16 as! T)
        case is UInt32.Type: return (uint, 0 as UInt32 as! T)
        case is UInt64.Type: return (uint, 0 as UInt64 as! T)
        case is Double.Type: return (float, 0 as Double as! T)
        case is Float.Type: return (float, 0 as Float as! T)
        case is [UInt8].Type: return (bytes, [UInt8]() as! T)
        case is Data.Type: return (bytes, Data() as! T)
        default: break
        }
        let id = ObjectIdentifier(T.self)
        if let (s, v) = lock.withLock({ known[id] }) { return (s, v as! T) }
        guard !inProgress.contains(id) else {
            throw GobError("\(T.self) contains itself, which the lab's gob encoder does not support")
        }
        let result: (GobSchema, T)
        if let c = T.self as? any GobContainer.Type {
            let (s, v) = try c.learnContainer(inProgress.union([id]))
            result = (s, v as! T)
        } else {
            let probe = SchemaProbe(inProgress.union([id]))
            var value: T?
            do {
                value = try T(from: probe)
            } catch let e as GobError {
                throw e
            } catch {
                // It refused the probe's zero values; if it has cases, the first will do.
                if let c = T.self as? any CaseIterable.Type { value = firstCase(c) as? T }
                guard value != nil else {
                    throw GobError("cannot learn the fields of \(T.self): its init(from:) refused zero values (\(error)); make it CaseIterable")
                }
            }
            switch probe.found ?? .fields([]) {  // decoding nothing: an empty struct
            case .fields(let fields):
                let name = (T.self as? any GobTypeName.Type)?.gobName ?? "\(T.self)"
                result = (GobSchema(.structType(fields), name: name, key: "\(T.self)#\(id.hashValue)"), value!)
            case .same(let s): result = (s, value!)
            }
        }
        // Two threads may learn one type at once: the first to finish is the one kept and used
        // by both, so that a type has one schema object (a stream knows its types by it).
        return lock.withLock {
            if let (s, v) = known[id] { return (s, v as! T) }
            known[id] = (result.0, result.1)
            return result
        }
    }

    private static func firstCase<C: CaseIterable>(_ c: C.Type) -> Any? { c.allCases.first }
}

/// A struct whose name on the wire is not its Swift name (net/rpc's `Request`, Go's anonymous
/// `struct{}`, whose name is empty).
public protocol GobTypeName {
    static var gobName: String { get }
}

/// The containers whose element types come from their generic arguments, not from a probe.
protocol GobContainer {
    static func learnContainer(_ inProgress: Set<ObjectIdentifier>) throws -> (GobSchema, Any)
}

extension Array: GobContainer where Element: Decodable {
    static func learnContainer(_ p: Set<ObjectIdentifier>) throws -> (GobSchema, Any) {
        (GobSchema.slice(of: try GobSchema.learn(Element.self, p).0), [Element]())
    }
}

extension Set: GobContainer where Element: Decodable {
    static func learnContainer(_ p: Set<ObjectIdentifier>) throws -> (GobSchema, Any) {
        (GobSchema.slice(of: try GobSchema.learn(Element.self, p).0), Set<Element>())
    }
}

extension Dictionary: GobContainer where Key: Decodable, Value: Decodable {
    static func learnContainer(_ p: Set<ObjectIdentifier>) throws -> (GobSchema, Any) {
        (GobSchema.map(try GobSchema.learn(Key.self, p).0, try GobSchema.learn(Value.self, p).0), [Key: Value]())
    }
}

/// Go's pointers are not on the wire: an optional travels as what it wraps, and `nil` as a field
/// left out.
extension Optional: GobContainer where Wrapped: Decodable {
    static func learnContainer(_ p: Set<ObjectIdentifier>) throws -> (GobSchema, Any) {
        (try GobSchema.learn(Wrapped.self, p).0, Wrapped?.none as Any)
    }
}

/// A decoder that hands out zero values and notes what was asked of it.
final class SchemaProbe: Decoder {
    enum Found {
        case fields([GobSchema.Field])
        case same(GobSchema)  // a single value: the type travels as that value does
    }

    var found: Found?
    let inProgress: Set<ObjectIdentifier>
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ inProgress: Set<ObjectIdentifier>) { self.inProgress = inProgress }

    func learn<T: Decodable>(_ type: T.Type) throws -> (GobSchema, T) { try GobSchema.learn(T.self, inProgress) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        found = .fields([])
        return KeyedDecodingContainer(Keyed(probe: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw GobError("a type that decodes a list of its own is not supported; use an Array field")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(probe: self) }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let probe: SchemaProbe
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let (s, v) = try probe.learn(T.self)
            if case .fields(let f) = probe.found { probe.found = .fields(f + [GobSchema.Field(name: key.stringValue, type: s)]) }
            return v
        }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            throw GobError("nested containers are not supported; use a struct field")
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw GobError("nested containers are not supported; use an Array field")
        }
        func superDecoder() throws -> any Decoder { throw GobError("superDecoder is not supported") }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw GobError("superDecoder is not supported") }
    }

    struct Single: SingleValueDecodingContainer {
        let probe: SchemaProbe
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (s, v) = try probe.learn(T.self)
            probe.found = .same(s)
            return v
        }
    }
}
