// Gob's description of a type, as it crosses the wire (Go's `wireType`): every type other than
// the basic ones is defined once per stream, in a message of its own, before the first value
// that needs it. A definition is itself a gob value of a type both ends know from the start.

/// A type as a gob stream defines it.
public enum GobWireType: Equatable, Sendable {
    case structType(name: String, fields: [GobField])
    case slice(name: String, elem: Int)
    case array(name: String, elem: Int, count: Int)
    case map(name: String, key: Int, elem: Int)
    /// A type that encodes itself (Go's GobEncoder, BinaryMarshaler, TextMarshaler): its values are bytes.
    case selfEncoded(name: String)

    public var name: String {
        switch self {
        case .structType(let n, _), .slice(let n, _), .array(let n, _, _), .map(let n, _, _), .selfEncoded(let n): return n
        }
    }
}

public struct GobField: Equatable, Sendable {
    public var name: String
    public var id: Int
    public init(_ name: String, _ id: Int) { self.name = name; self.id = id }
}

/// The ids every stream knows without a definition (doc.go).
enum GobTypeID {
    static let bool = 1, int = 2, uint = 3, float = 4, bytes = 5, string = 6, complex = 7, interface = 8
    /// Ids below this are Go's own; a stream may define only ids from here up.
    static let firstUser = 64

    static func name(_ id: Int) -> String {
        ["", "bool", "int", "uint", "float", "[]byte", "string", "complex", "interface"][id < 9 && id > 0 ? id : 0]
    }
}

extension GobWireType {
    /// Reads a `wireType` value. Its fields: ArrayT, SliceT, StructT, MapT, then the three kinds of
    /// self-encoding type; each a struct that starts with `CommonType{Name, Id}`.
    static func read(_ r: inout GobReader, defining id: Int) throws -> GobWireType {
        var result: GobWireType?
        try GobWireType.fields(&r) { field, r in
            guard result == nil else { throw GobError("type \(id) is defined as two kinds at once") }
            var name = "", common = 0, elem = 0, key = 0, count = 0
            var fields: [GobField] = []
            try GobWireType.fields(&r) { f, r in
                switch (field, f) {
                case (_, 0):
                    try GobWireType.fields(&r) { c, r in
                        switch c {
                        case 0: name = try GobWireType.name(&r)
                        case 1: common = try GobWireType.id(&r)
                        default: throw GobError("bad definition of type \(id)")
                        }
                    }
                case (0, 1), (1, 1): elem = try GobWireType.id(&r)
                case (0, 2): count = Int(clamping: try r.int())
                case (2, 1):
                    let n = try r.count(of: "field")
                    for _ in 0..<n {
                        var fname = "", fid = 0
                        try GobWireType.fields(&r) { ff, r in
                            switch ff {
                            case 0: fname = try GobWireType.name(&r)
                            case 1: fid = try GobWireType.id(&r)
                            default: throw GobError("bad definition of type \(id)")
                            }
                        }
                        guard fid > 0 else { throw GobError("field \(fname) of type \(id) has no type") }
                        fields.append(GobField(fname, fid))
                    }
                case (3, 1): key = try GobWireType.id(&r)
                case (3, 2): elem = try GobWireType.id(&r)
                default: throw GobError("bad definition of type \(id)")
                }
            }
            guard common == id else { throw GobError("type \(id) is defined with the id \(common) inside") }
            switch field {
            case 0: result = .array(name: name, elem: elem, count: count)
            case 1: result = .slice(name: name, elem: elem)
            case 2: result = .structType(name: name, fields: fields)
            case 3: result = .map(name: name, key: key, elem: elem)
            case 4, 5, 6: result = .selfEncoded(name: name)
            default: throw GobError("bad definition of type \(id)")
            }
        }
        guard let result else { throw GobError("type \(id) is defined as nothing") }
        if case .array(_, _, let n) = result, n < 0 { throw GobError("array type \(id) has length \(n)") }
        return result
    }

    /// Reads a struct's fields: a delta to each field's number, then its value (which `each`
    /// reads), until a delta of 0.
    static func fields(_ r: inout GobReader, _ each: (Int, inout GobReader) throws -> Void) throws {
        var field = -1
        while true {
            let delta = try r.uint()
            if delta == 0 { return }
            guard delta <= UInt64(Int(Int32.max) - field) else { throw GobError("field number out of range") }
            field += Int(delta)
            try each(field, &r)
        }
    }

    /// The longest name of a type or field kept: definitions last as long as the connection, so a
    /// stream of long names would hold memory for as long (Go's own names are a few dozen bytes).
    static let maxName = 1024

    static func name(_ r: inout GobReader) throws -> String {
        let range = try r.byteRange()
        guard range.count <= maxName else { throw GobError("a name of \(range.count) bytes in a type definition; at most \(maxName)") }
        return String(decoding: r.bytes[range], as: UTF8.self)
    }

    static func id(_ r: inout GobReader) throws -> Int {
        let v = try r.int()
        guard v > 0, v < Int64(Int32.max) else { throw GobError("type id \(v) out of range") }
        return Int(v)
    }

    /// Writes this type's definition as a `wireType` value.
    func write(id: Int, into out: inout [UInt8]) {
        func common(_ name: String) {
            out.append(1)  // CommonType, field 0 of each kind
            if !name.isEmpty {
                out.append(1)
                GobWriter.bytes(Array(name.utf8), into: &out)
                out.append(1)
            } else {
                out.append(2)
            }
            GobWriter.int(Int64(id), into: &out)
            out.append(0)
        }
        switch self {
        case .array(let name, let elem, let count):
            out.append(1)
            common(name)
            out.append(1)
            GobWriter.int(Int64(elem), into: &out)
            out.append(1)
            GobWriter.int(Int64(count), into: &out)
        case .slice(let name, let elem):
            out.append(2)
            common(name)
            out.append(1)
            GobWriter.int(Int64(elem), into: &out)
        case .structType(let name, let fields):
            out.append(3)
            common(name)
            if !fields.isEmpty {
                out.append(1)
                GobWriter.uint(UInt64(fields.count), into: &out)
                for f in fields {
                    out.append(1)
                    GobWriter.bytes(Array(f.name.utf8), into: &out)
                    out.append(1)
                    GobWriter.int(Int64(f.id), into: &out)
                    out.append(0)
                }
            }
        case .map(let name, let key, let elem):
            out.append(4)
            common(name)
            out.append(1)
            GobWriter.int(Int64(key), into: &out)
            out.append(1)
            GobWriter.int(Int64(elem), into: &out)
        case .selfEncoded(let name):
            out.append(5)
            common(name)
        }
        out.append(0)  // end of the kind's struct
        out.append(0)  // end of wireType
    }
}
