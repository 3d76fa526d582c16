// Encodable to gob, against the value's schema: a struct's fields by number, each after the
// delta from the one before and only when it is not zero (a nested struct is always sent, as Go
// sends it); the elements of a slice or map all, zero or not.

import Foundation

final class GobValueEncoder: Encoder {
    let schema: GobSchema
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private var single: [UInt8] = []
    /// A struct's fields, each after its delta, written as they come in field order (the order of
    /// a synthesized `encode(to:)`); one that comes out of order waits in `late`.
    private var body: [UInt8] = []
    private var last = -1
    private var late: [(index: Int, bytes: [UInt8])] = []
    private var elements: [UInt8] = []
    private var count = 0
    /// Go leaves this value out when it is a struct's field.
    private(set) var isZero = true
    /// What a type that travels as the one value inside it encoded to (an enum's raw value, a wrapper).
    fileprivate var adopted: ([UInt8], Bool)?
    /// What the value's `encode(to:)` asked for that gob cannot do (a nested container), thrown
    /// at the end: a reply type's own code must not be able to crash the server.
    fileprivate var failure: EncodingError?

    /// An encoder that goes nowhere, handed out after a `failure`: what is put in it is dropped.
    fileprivate func unsupported(_ what: String) -> GobValueEncoder {
        if failure == nil { failure = invalid((), "gob: \(what) is not supported; use a field of a struct type") }
        let sink = GobValueEncoder(GobSchema.string, codingPath)
        sink.discards = true
        return sink
    }
    fileprivate var discards = false
    /// What a `BasicFieldEncoder` wrote for the field at hand (kept, so that each field costs no
    /// allocation of its own).
    fileprivate var basicBytes: [UInt8] = []
    fileprivate var basicZero = false
    fileprivate var basicDone = false

    init(_ schema: GobSchema, _ codingPath: [any CodingKey]) {
        self.schema = schema
        self.codingPath = codingPath
    }

    func invalid(_ v: Any, _ why: String) -> EncodingError {
        .invalidValue(v, .init(codingPath: codingPath, debugDescription: why))
    }

    /// Encodes `v` into this encoder (once).
    func encode<T: Encodable>(_ v: T) throws {
        // Only a basic type can be a basic value (and one that is not goes by `Single`, which
        // checks): a struct is never tried against each basic type in turn.
        if case .builtin = schema.kind, try primitive(v) { return }
        try v.encode(to: self)
    }

    /// The bytes of what was encoded.
    func finish() throws -> [UInt8] {
        if let failure { throw failure }
        if let (bytes, zero) = adopted {
            isZero = zero
            return bytes
        }
        switch schema.kind {
        case .builtin: return single
        case .structType(let fs):
            isZero = false
            guard !late.isEmpty else {
                body.append(0)
                return body
            }
            var all = late
            var r = GobReader(body, 0..<body.count)
            var field = -1
            while !r.isAtEnd {
                field += Int(try r.uint())
                let start = r.i
                try Self.skip(fs[field].type, &r)
                all.append((field, Array(body[start..<r.i])))
            }
            var out: [UInt8] = []
            var last = -1
            for f in all.sorted(by: { $0.index < $1.index }) {
                guard f.index > last else { throw invalid((), "field \(fs[f.index].name) of \(schema.name) encoded twice") }
                GobWriter.uint(UInt64(f.index - last), into: &out)
                out += f.bytes
                last = f.index
            }
            out.append(0)
            return out
        case .slice, .map:
            let n = { if case .map = schema.kind { return count / 2 } else { return count } }()
            // Go leaves out an empty slice, but sends an empty map that is not nil ("the receiver
            // might want to use the map"); a Swift Dictionary is never nil (an Optional's nil is).
            if case .map = schema.kind { isZero = false } else { isZero = n == 0 }
            var out: [UInt8] = []
            GobWriter.uint(UInt64(n), into: &out)
            return out + elements
        }
    }

    /// Writes `v` if it is one of gob's basic values, checked against the schema. By its static
    /// type: an empty `[Inner]` would pass for a `[UInt8]` in a dynamic cast.
    fileprivate func primitive<T>(_ v: T) throws -> Bool {
        let want: Int
        if case .builtin(let id) = schema.kind { want = id } else { want = 0 }
        func check(_ id: Int) throws {
            guard want == id else { throw invalid(v, "\(T.self) where \(schema.name) was expected") }
        }
        switch v {
        case let s as String where T.self == String.self:
            try check(GobTypeID.string)
            GobWriter.bytes(s.utf8, into: &single)
            isZero = s.isEmpty
        case let b as Bool where T.self == Bool.self:
            try check(GobTypeID.bool)
            GobWriter.uint(b ? 1 : 0, into: &single)
            isZero = !b
        case let d as Double where T.self == Double.self:
            try check(GobTypeID.float)
            GobWriter.float(d, into: &single)
            isZero = d == 0 && d.sign == .plus
        case let f as Float where T.self == Float.self:
            return try primitive(Double(f))
        case let b as [UInt8] where T.self == [UInt8].self:
            try check(GobTypeID.bytes)
            GobWriter.bytes(b, into: &single)
            isZero = b.isEmpty
        case let b as Data where T.self == Data.self:
            try check(GobTypeID.bytes)
            GobWriter.bytes(b, into: &single)
            isZero = b.isEmpty
        case let i as any FixedWidthInteger where T.self is any FixedWidthInteger.Type:
            try integer(i, check)
        default:
            return false
        }
        return true
    }

    private func integer<I: FixedWidthInteger>(_ i: I, _ check: (Int) throws -> Void) throws {
        if I.isSigned {
            try check(GobTypeID.int)
            GobWriter.int(Int64(i), into: &single)  // every signed type fits in Int64
        } else {
            try check(GobTypeID.uint)
            GobWriter.uint(UInt64(i), into: &single)
        }
        isZero = i == 0
    }

    /// Encodes `v` as a value of `s`: its bytes, and whether Go would leave it out as a field.
    fileprivate func child<T: Encodable>(_ v: T, _ s: GobSchema, _ key: (any CodingKey)?) throws -> ([UInt8], Bool) {
        let e = GobValueEncoder(s, key.map { codingPath + [$0] } ?? codingPath)
        try e.encode(v)
        let bytes = try e.finish()
        return (bytes, e.isZero)
    }

    /// Moves past one value of `s` that this encoder wrote.
    private static func skip(_ s: GobSchema, _ r: inout GobReader) throws {
        switch s.kind {
        case .builtin(GobTypeID.bytes), .builtin(GobTypeID.string): _ = try r.byteRange()
        case .builtin: _ = try r.uint()
        case .structType(let fs):
            var field = -1
            while true {
                let delta = try r.uint()
                if delta == 0 { return }
                field += Int(delta)
                try skip(fs[field].type, &r)
            }
        case .slice(let e):
            for _ in 0..<(try r.count(of: "element")) { try skip(e, &r) }
        case .map(let k, let e):
            for _ in 0..<(try r.count(of: "entry")) {
                try skip(k, &r)
                try skip(e, &r)
            }
        }
    }

    /// The number of the field named `key`: the next one, usually.
    private func field(_ key: any CodingKey, _ fs: [GobSchema.Field]) throws -> Int {
        if last + 1 < fs.count, fs[last + 1].name == key.stringValue { return last + 1 }
        guard let i = schema.fieldIndex[key.stringValue] else {
            throw invalid((), "\(schema.name) has no field \(key.stringValue) in its init(from:)")
        }
        return i
    }

    /// Writes field `i` with `write`, which says whether the value was zero (then it is left out).
    private func put(_ i: Int, _ write: (inout [UInt8]) throws -> Bool) throws {
        if i > last {
            let mark = body.count
            GobWriter.uint(UInt64(i - last), into: &body)
            if try write(&body) {
                body.removeSubrange(mark...)
            } else {
                last = i
            }
        } else {
            var bytes: [UInt8] = []
            if try !write(&bytes) { late.append((i, bytes)) }
        }
    }

    /// A basic value of a struct's field, written straight into the struct.
    fileprivate func addBasic(_ v: String, forKey key: any CodingKey) throws {
        if discards { return }
        guard case .structType(let fs) = schema.kind else { return try add(v, forKey: key) }
        let i = try field(key, fs)
        guard case .builtin(GobTypeID.string) = fs[i].type.kind else { return try add(v, forKey: key) }
        try put(i) { out in
            GobWriter.bytes(v.utf8, into: &out)
            return v.isEmpty
        }
    }

    fileprivate func addBasic<I: FixedWidthInteger & Encodable>(_ v: I, forKey key: any CodingKey) throws {
        if discards { return }
        guard case .structType(let fs) = schema.kind else { return try add(v, forKey: key) }
        let i = try field(key, fs)
        guard case .builtin(let id) = fs[i].type.kind, id == (I.isSigned ? GobTypeID.int : GobTypeID.uint) else {
            return try add(v, forKey: key)
        }
        try put(i) { out in
            if I.isSigned { GobWriter.int(Int64(v), into: &out) } else { GobWriter.uint(UInt64(v), into: &out) }
            return v == 0
        }
    }

    fileprivate func add<T: Encodable>(_ v: T, forKey key: any CodingKey) throws {
        if discards { return }
        switch schema.kind {
        case .structType(let fs):
            let i = try field(key, fs)
            if case .builtin = fs[i].type.kind, T.self != [UInt8].self, T.self != Data.self {  // an enum's raw value, a wrapper: no encoder of its own
                let basic = BasicFieldEncoder(parent: self, schema: fs[i].type, key: key)
                basicDone = false
                try put(i) { out in
                    try v.encode(to: basic)
                    guard basicDone else { throw invalid(v, "\(T.self) encodes no single value, where its init(from:) decodes one") }
                    out += basicBytes
                    return basicZero
                }
                return
            }
            try put(i) { out in
                let (bytes, zero) = try child(v, fs[i].type, key)
                if !zero { out += bytes }
                return zero
            }
        case .map(let k, let e):  // a Dictionary with String or Int keys
            if case .builtin(GobTypeID.string) = k.kind {
                GobWriter.bytes(key.stringValue.utf8, into: &elements)
            } else if case .builtin(GobTypeID.int) = k.kind, let i = key.intValue ?? Int(key.stringValue) {
                GobWriter.int(Int64(i), into: &elements)
            } else if case .builtin(GobTypeID.uint) = k.kind, let u = UInt64(key.stringValue) {
                GobWriter.uint(u, into: &elements)
            } else {
                throw invalid(v, "a key \(key.stringValue) for \(schema.name)")
            }
            elements += try child(v, e, key).0
            count += 2
        default:
            throw invalid(v, "fields where \(schema.name) was expected")
        }
    }

    fileprivate func append<T: Encodable>(_ v: T) throws {
        if discards { return }
        let s: GobSchema
        switch schema.kind {
        case .slice(let e): s = e
        case .map(let k, let e): s = count % 2 == 0 ? k : e  // a Dictionary with other keys: key, value, key, ...
        default: throw invalid(v, "a list where \(schema.name) was expected")
        }
        elements += try child(v, s, GobKey(intValue: count)).0
        count += 1
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(encoder: self) }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: GobValueEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        mutating func encodeNil(forKey key: Key) throws {}  // Go's nil pointer: left out
        mutating func encode<T: Encodable>(_ v: T, forKey key: Key) throws { try encoder.add(v, forKey: key) }
        mutating func encode(_ v: String, forKey key: Key) throws { try encoder.addBasic(v, forKey: key) }
        mutating func encode(_ v: Int, forKey key: Key) throws { try encoder.addBasic(v, forKey: key) }
        mutating func encode(_ v: Int64, forKey key: Key) throws { try encoder.addBasic(v, forKey: key) }
        mutating func encode(_ v: UInt64, forKey key: Key) throws { try encoder.addBasic(v, forKey: key) }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
            encoder.unsupported("a nested container").container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            encoder.unsupported("a nested container").unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { encoder.unsupported("superEncoder") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { encoder.unsupported("superEncoder") }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: GobValueEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { encoder.count }
        mutating func encodeNil() throws { throw encoder.invalid((), "gob cannot send a nil element") }
        mutating func encode<T: Encodable>(_ v: T) throws { try encoder.append(v) }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type) -> KeyedEncodingContainer<N> {
            encoder.unsupported("a nested container").container(keyedBy: N.self)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            encoder.unsupported("a nested container").unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { encoder.unsupported("superEncoder") }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: GobValueEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        mutating func encodeNil() throws { throw encoder.invalid((), "gob cannot send nil") }
        mutating func encode<T: Encodable>(_ v: T) throws {
            // A type that travels as the one value it holds (an enum's raw value, a wrapper).
            if encoder.discards { return }
            if try encoder.primitive(v) { return }
            encoder.adopted = try encoder.child(v, encoder.schema, nil)
        }
    }
}

/// The encoder of a struct's field whose type travels as one basic value (an enum with a raw
/// value, a wrapper): what it encodes is checked against the field's type, and written into the
/// struct's encoder, with nothing else made for it.
struct BasicFieldEncoder: Encoder, SingleValueEncodingContainer {
    let parent: GobValueEncoder
    let schema: GobSchema
    let key: any CodingKey
    var codingPath: [any CodingKey] { parent.codingPath + [key] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // A mismatch with the type's init(from:): nothing is written, which fails the field.
        parent.unsupported("a struct where \(schema.name) was expected").container(keyedBy: Key.self)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        parent.unsupported("a list where \(schema.name) was expected").unkeyedContainer()
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    mutating func encodeNil() throws {
        throw EncodingError.invalidValue((), .init(codingPath: codingPath, debugDescription: "gob cannot send nil"))
    }

    mutating func encode<T: Encodable>(_ v: T) throws { try general(v) }

    private func general<T: Encodable>(_ v: T) throws {
        let e = GobValueEncoder(schema, codingPath)
        try e.encode(v)
        parent.basicBytes = try e.finish()
        parent.basicZero = e.isZero
        parent.basicDone = true
    }

    mutating func encode(_ v: String) throws {
        guard case .builtin(GobTypeID.string) = schema.kind else { return try general(v) }
        parent.basicBytes.removeAll(keepingCapacity: true)
        GobWriter.bytes(v.utf8, into: &parent.basicBytes)
        parent.basicZero = v.isEmpty
        parent.basicDone = true
    }
}
