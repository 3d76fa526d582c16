// net/rpc's headers: each request and each reply on a gob connection is two gob values, the
// header and then the body (Go's `Request` and `Response` in net/rpc/server.go).

/// The header before each request's arguments.
public struct GoRequestHeader: Codable, Sendable, Equatable, GobTypeName {
    public static let gobName = "Request"
    public var serviceMethod: String
    public var seq: UInt64
    public init(serviceMethod: String, seq: UInt64) { self.serviceMethod = serviceMethod; self.seq = seq }
    enum CodingKeys: String, CodingKey { case serviceMethod = "ServiceMethod", seq = "Seq" }
}

/// The header before each reply; a reply with an `Error` has an empty struct for its body.
public struct GoResponseHeader: Codable, Sendable, Equatable, GobTypeName {
    public static let gobName = "Response"
    public var serviceMethod: String
    public var seq: UInt64
    public var error: String
    public init(serviceMethod: String, seq: UInt64, error: String = "") {
        self.serviceMethod = serviceMethod
        self.seq = seq
        self.error = error
    }
    enum CodingKeys: String, CodingKey { case serviceMethod = "ServiceMethod", seq = "Seq", error = "Error" }
}

/// Go's `struct{}{}`: the body of an error reply (net/rpc's `invalidRequest`).
public struct GoEmptyStruct: Codable, Sendable, Equatable, GobTypeName {
    public static let gobName = ""
    public init() {}
}

// The headers come with every call: written and read by hand, they cost a tenth of what the
// general coder does (a third of a gob server's own time went to them).

extension GoRequestHeader {
    static let schema = try! GobSchema.of(GoRequestHeader.self)

    var prepared: GobPrepared { GobPrepared(schema: Self.schema, bytes: GoHeaderBytes.write(serviceMethod, seq, "")) }

    /// The header in `value`, if it is one.
    init?(_ value: GobValue) {
        guard case .structValue(_, let fields, let declared) = value, let (m, seq, _) = GoHeaderBytes.read(fields, declared) else { return nil }
        self.init(serviceMethod: m, seq: seq)
    }
}

extension GoResponseHeader {
    static let schema = try! GobSchema.of(GoResponseHeader.self)

    var prepared: GobPrepared { GobPrepared(schema: Self.schema, bytes: GoHeaderBytes.write(serviceMethod, seq, error)) }

    init?(_ value: GobValue) {
        guard case .structValue(_, let fields, let declared) = value, let (m, seq, e) = GoHeaderBytes.read(fields, declared) else { return nil }
        self.init(serviceMethod: m, seq: seq, error: e)
    }
}

enum GoHeaderBytes {
    /// Fields 0, 1 and 2 (`ServiceMethod`, `Seq`, `Error`), each left out when zero, then the end.
    static func write(_ method: String, _ seq: UInt64, _ error: String) -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(method.utf8.count + error.utf8.count + 14)
        var last = -1
        if !method.isEmpty {
            b.append(1)
            GobWriter.bytes(method.utf8, into: &b)
            last = 0
        }
        if seq != 0 {
            b.append(UInt8(1 - last))
            GobWriter.uint(seq, into: &b)
            last = 1
        }
        if !error.isEmpty {
            b.append(UInt8(2 - last))
            GobWriter.bytes(error.utf8, into: &b)
        }
        b.append(0)
        return b
    }

    /// The header's fields; nil when it is no header (Go: "no fields matched"), so that a stream
    /// out of step is not read on.
    static func read(_ fields: [GobValue.Field], _ declared: [String]) -> (String, UInt64, String)? {
        guard declared.contains(where: { $0 == "ServiceMethod" || $0 == "Seq" || $0 == "Error" }) else { return nil }
        var method = "", seq: UInt64 = 0, error = ""
        for f in fields {
            switch (f.name, f.value) {
            case ("ServiceMethod", .string(let s)):
                guard let m = String(validating: s, as: UTF8.self) else { return nil }
                method = m
            case ("Seq", .uint(let u)): seq = u
            case ("Error", .string(let s)): error = String(decoding: s, as: UTF8.self)
            case ("ServiceMethod", _), ("Seq", _), ("Error", _): return nil
            default: break
            }
        }
        return (method, seq, error)
    }
}
