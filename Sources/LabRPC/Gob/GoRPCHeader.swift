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
