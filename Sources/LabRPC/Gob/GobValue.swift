// A gob value read against the sender's definitions, before anything is decoded from it: a
// struct's fields by name, so that the receiving type picks the fields it knows (as Go's decoder
// matches fields by name) and any value of a defined type can be skipped.

/// One value of a gob stream. (Not `indirect`: the nested values are in arrays already, and a box
/// for every string and number was a good part of what reading a request cost.)
public enum GobValue: Sendable, Equatable {
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case complex(Double, Double)
    case bytes(ArraySlice<UInt8>)
    case string(ArraySlice<UInt8>)
    /// The fields that were sent, in order; a field left out holds its zero value. (A list, not
    /// a dictionary: a struct has a few fields, and a dictionary for each one cost a tenth of a
    /// gob server's time.)
    case structValue(name: String, fields: [Field], declared: [String])
    case list([GobValue])
    case map([Pair])
    /// A value that was not sent: the zero value of whatever type is asked of it.
    case zero

    public struct Pair: Sendable, Equatable {
        public var key: GobValue
        public var value: GobValue
    }

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: GobValue
    }

    /// What the sender called its type, for messages.
    var kind: String {
        switch self {
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .float: return "float"
        case .complex: return "complex"
        case .bytes: return "[]byte"
        case .string: return "string"
        case .structValue(let name, _, _): return name.isEmpty ? "struct" : "struct \(name)"
        case .list: return "slice"
        case .map: return "map"
        case .zero: return "nothing"
        }
    }
}

extension [GobValue.Field] {
    /// The value of the field named `name`, if it was sent.
    subscript(name: String) -> GobValue? {
        for f in self where f.name == name { return f.value }
        return nil
    }
}

/// Reads values against a stream's definitions. Every value it builds took at least one byte of
/// the message, it builds no more than `budget` of them, and it goes no deeper than `maxDepth`,
/// so a hostile stream costs at most a bounded multiple of its size.
struct GobValueReader {
    let types: [Int: GobWireType]
    /// Each struct type's field names, shared by all its values.
    let names: [Int: [String]]
    /// Values one message may hold; each costs some 50 bytes of memory where it took one byte
    /// of the message (a `[]struct{}` of a million elements is a million bytes).
    var budget: Int
    /// Nesting deeper than this is refused (Go has no such limit; it recurses until its stack ends).
    static let maxDepth = 100
    /// Values one message may hold: a 1 MiB request of single-byte values is within it; 64 MiB
    /// of them (a client's limit) is not.
    static let valuesPerMessage = 2 << 20

    mutating func value(of id: Int, _ r: inout GobReader, depth: Int = 0) throws -> GobValue {
        guard depth < Self.maxDepth else { throw GobError("value nested deeper than \(Self.maxDepth)") }
        budget -= 1
        guard budget >= 0 else { throw GobError("a message of more than \(Self.valuesPerMessage) values") }
        switch id {
        case GobTypeID.bool: return .bool(try r.uint() != 0)
        case GobTypeID.int: return .int(try r.int())
        case GobTypeID.uint: return .uint(try r.uint())
        case GobTypeID.float: return .float(try r.float())
        case GobTypeID.complex: return .complex(try r.float(), try r.float())
        case GobTypeID.bytes: return .bytes(r.bytes[try r.byteRange()])
        case GobTypeID.string: return .string(r.bytes[try r.byteRange()])
        case GobTypeID.interface:
            guard try r.uint() == 0 else { throw GobError("interface values are not supported") }
            return .zero  // a nil interface
        default: break
        }
        guard let type = types[id] else { throw GobError("value of undefined type \(id)") }
        switch type {
        case .structType(let name, let fields):
            var got: [GobValue.Field] = []
            var field = -1
            while true {
                let delta = try r.uint()
                if delta == 0 { break }
                guard delta < UInt64(fields.count - field) else {
                    throw GobError("a field \(delta) after field \(field) of \(name.isEmpty ? "a struct" : name), which has \(fields.count)")
                }
                field += Int(delta)
                got.append(GobValue.Field(name: fields[field].name, value: try value(of: fields[field].id, &r, depth: depth + 1)))
            }
            return .structValue(name: name, fields: got, declared: names[id] ?? [])
        case .slice(_, let elem):
            return .list(try elements(try r.count(of: "element"), elem, &r, depth))
        case .array(let name, let elem, let count):
            let n = try r.count(of: "element")
            guard n == count else { throw GobError("\(n) elements sent for \(name.isEmpty ? "an array" : name) of \(count)") }
            return .list(try elements(n, elem, &r, depth))
        case .map(_, let key, let elem):
            let n = try r.count(of: "map entry")
            var pairs: [GobValue.Pair] = []
            pairs.reserveCapacity(min(n, 1024))
            for _ in 0..<n {
                pairs.append(GobValue.Pair(key: try value(of: key, &r, depth: depth + 1), value: try value(of: elem, &r, depth: depth + 1)))
            }
            return .map(pairs)
        case .selfEncoded:
            return .bytes(r.bytes[try r.byteRange()])
        }
    }

    private mutating func elements(_ n: Int, _ elem: Int, _ r: inout GobReader, _ depth: Int) throws -> [GobValue] {
        var out: [GobValue] = []
        out.reserveCapacity(min(n, 1024))  // a count says what may come, not what will
        for _ in 0..<n { out.append(try value(of: elem, &r, depth: depth + 1)) }
        return out
    }

    /// A top-level value: a struct's fields, or any other value after a field delta of 0 (the
    /// "singleton").
    mutating func topLevel(of id: Int, _ r: inout GobReader) throws -> GobValue {
        if case .structType = types[id] { return try value(of: id, &r) }
        guard id <= GobTypeID.interface || types[id] != nil else { throw GobError("value of undefined type \(id)") }
        guard try r.uint() == 0 else { throw GobError("a value of type \(types[id]?.name ?? GobTypeID.name(id)) does not start with 0") }
        return try value(of: id, &r)
    }
}
