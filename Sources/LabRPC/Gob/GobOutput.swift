// The sending end of one gob stream: it gives each type an id the first time the stream needs
// it, in the order Go's encoder does (a struct before its fields' types; a slice or map after its
// elements'), and sends each definition once, in Go's order (a type before the types inside it),
// so that the bytes are Go's own.

/// The sending end of one gob stream.
public struct GobOutput: Sendable {
    private var ids: [String: Int] = [:]
    private var sent: Set<Int> = []
    /// The ids of types sent already, by schema object: no string hashed for them. The schema is
    /// kept with its id, so that its object, and so its identifier, cannot go to another.
    private var known: [ObjectIdentifier: (GobSchema, Int)] = [:]
    private var nextID = GobTypeID.firstUser + 1

    public init() {}

    /// Appends the messages that carry `value`: the definitions this stream has not sent yet,
    /// then the value. `T` must be `Decodable` too: its decoder is how its fields are learned.
    public mutating func write<T: Encodable>(_ value: T, into out: inout [UInt8]) throws {
        write(try GobPrepared(value), into: &out)
    }

    /// Appends the messages that carry a value encoded before: what depends on the stream (type
    /// ids, definitions) is all that is done here.
    public mutating func write(_ value: GobPrepared, into out: inout [UInt8]) {
        let key = ObjectIdentifier(value.schema)
        let id: Int
        if let (_, known) = known[key] {
            id = known
        } else {
            id = assign(value.schema)
            var scratch: [UInt8] = []
            send(value.schema, into: &out, scratch: &scratch, topLevel: true)
            known[key] = (value.schema, id)
        }
        let idCode = GobWriter.zigzag(Int64(id))
        GobWriter.uint(UInt64(GobWriter.size(idCode) + value.bytes.count), into: &out)
        GobWriter.uint(idCode, into: &out)
        out += value.bytes
    }

    /// The id `s` has on this stream, given now if it has none (with the ids of the types inside).
    private mutating func assign(_ s: GobSchema) -> Int {
        if case .builtin(let id) = s.kind { return id }
        if let id = ids[s.key] { return id }
        func next() -> Int {
            defer { nextID += 1 }
            ids[s.key] = nextID
            return nextID
        }
        switch s.kind {
        case .builtin(let id): return id
        case .structType(let fields):
            let id = next()
            for f in fields { _ = assign(f.type) }
            return id
        case .slice(let e):
            _ = assign(e)
            return next()
        case .map(let k, let e):
            _ = assign(k)
            _ = assign(e)
            return next()
        }
    }

    /// Sends `s`'s definition if this stream has not, then those of the types inside it.
    /// A slice or map type sent as a value of its own has no name in Go (its reflect Name is empty);
    /// as a field's type, Go names it as it is written (`[]string`).
    private mutating func send(_ s: GobSchema, into out: inout [UInt8], scratch: inout [UInt8], topLevel: Bool = false) {
        if case .builtin = s.kind { return }
        let id = ids[s.key]!
        guard sent.insert(id).inserted else { return }
        let wire: GobWireType
        switch s.kind {
        case .builtin: return
        case .structType(let fields): wire = .structType(name: s.name, fields: fields.map { GobField($0.name, ids[$0.type.key] ?? builtinID($0.type)) })
        case .slice(let e): wire = .slice(name: topLevel ? "" : s.name, elem: ids[e.key] ?? builtinID(e))
        case .map(let k, let e): wire = .map(name: topLevel ? "" : s.name, key: ids[k.key] ?? builtinID(k), elem: ids[e.key] ?? builtinID(e))
        }
        scratch.removeAll(keepingCapacity: true)
        GobWriter.int(-Int64(id), into: &scratch)
        wire.write(id: id, into: &scratch)
        GobWriter.message(scratch, into: &out)
        switch s.kind {
        case .builtin: break
        case .structType(let fields): for f in fields { send(f.type, into: &out, scratch: &scratch) }
        case .slice(let e): send(e, into: &out, scratch: &scratch)
        case .map(let k, let e):
            send(k, into: &out, scratch: &scratch)
            send(e, into: &out, scratch: &scratch)
        }
    }

    private func builtinID(_ s: GobSchema) -> Int {
        if case .builtin(let id) = s.kind { return id }
        preconditionFailure("type \(s.name) has no id")
    }
}

/// A value encoded for any gob stream: everything but its type's id, which only the stream that
/// sends it can give. So a reply is encoded on its call's thread, and only numbered and framed in
/// its turn on the connection.
public struct GobPrepared: Sendable {
    let schema: GobSchema
    let bytes: [UInt8]

    public init<T: Encodable>(_ value: T) throws {
        try self.init(value, schema: try Self.schema(of: T.self))
    }

    /// A value's schema, found once (by a handler when it is registered) rather than per value.
    static func schema<T: Encodable>(of type: T.Type) throws -> GobSchema {
        guard let d = T.self as? any Decodable.Type else {
            throw GobError("\(T.self) must be Decodable too: the gob encoder learns its fields from its init(from:)")
        }
        return try GobSchema.of(d)
    }

    init(schema: GobSchema, bytes: [UInt8]) {
        self.schema = schema
        self.bytes = bytes
    }

    init<T: Encodable>(_ value: T, schema: GobSchema) throws {
        self.schema = schema
        let encoder = GobValueEncoder(schema, [])
        try encoder.encode(value)
        if case .structType = schema.kind {
            bytes = try encoder.finish()
        } else {
            bytes = [0] + (try encoder.finish())  // a singleton's field delta
        }
    }
}
