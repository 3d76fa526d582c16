// The request and reply types of the lab's services, shared by servers and clients (the
// lecture's common.go). Field names on the wire are Go's: `Key`, `Value`, `Err`, `A`, `B`, ...
// Declare fields in alphabetical order of their wire names: the encoder sorts keys, and Go writes
// fields in declaration order, so the two agree byte for byte only then.

/// The lecture's error values: OK, or no such key.
/// (CaseIterable: so that the gob encoder can learn the types that hold one; see GobSchema.)
public enum Err: String, Codable, Sendable, CaseIterable {
    case ok = "OK"
    case noKey = "ErrNoKey"
}

public struct PutArgs: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
    enum CodingKeys: String, CodingKey { case key = "Key", value = "Value" }
}

public struct PutReply: Codable, Sendable, Equatable {
    public var err: Err
    public init(err: Err) { self.err = err }
    enum CodingKeys: String, CodingKey { case err = "Err" }
}

public struct GetArgs: Codable, Sendable, Equatable {
    public var key: String
    public init(key: String) { self.key = key }
    enum CodingKeys: String, CodingKey { case key = "Key" }
}

public struct GetReply: Codable, Sendable, Equatable {
    public var err: Err
    public var value: String
    public init(err: Err, value: String) { self.err = err; self.value = value }
    enum CodingKeys: String, CodingKey { case err = "Err", value = "Value" }
}

/// `Append` adds to the value and returns the old one, so a duplicated call shows in the value.
public typealias AppendArgs = PutArgs

public struct AppendReply: Codable, Sendable, Equatable {
    public var err: Err
    public var value: String
    public init(err: Err, value: String) { self.err = err; self.value = value }
    enum CodingKeys: String, CodingKey { case err = "Err", value = "Value" }
}

/// Seed 004's Arith service: `Multiply` and `Divide` of two integers.
public struct ArithRequest: Codable, Sendable, Equatable {
    public var a: Int
    public var b: Int
    public init(a: Int, b: Int) { self.a = a; self.b = b }
    enum CodingKeys: String, CodingKey { case a = "A", b = "B" }
}

public struct ArithResponse: Codable, Sendable, Equatable {
    public var pro: Int
    public var quo: Int
    public var rem: Int
    public init(pro: Int = 0, quo: Int = 0, rem: Int = 0) { self.pro = pro; self.quo = quo; self.rem = rem }
    enum CodingKeys: String, CodingKey { case pro = "Pro", quo = "Quo", rem = "Rem" }
}

/// An Append that says who sent it and which of that client's requests it is, so that a server
/// can recognise a request it has already run (at-most-once). A client sends request `Seq` only
/// after it has the reply to `Seq - 1`: that is its acknowledgement of everything before.
public struct TaggedAppendArgs: Codable, Sendable, Equatable {
    public var clientID: Int
    public var key: String
    public var seq: Int
    public var value: String
    public init(clientID: Int, seq: Int, key: String, value: String) {
        self.clientID = clientID
        self.seq = seq
        self.key = key
        self.value = value
    }
    enum CodingKeys: String, CodingKey { case clientID = "ClientId", key = "Key", seq = "Seq", value = "Value" }
}

/// Exchanges the values of two keys (exercise 5): `A` gets `B`'s value and `B` gets `A`'s, as one step.
public struct SwapArgs: Codable, Sendable, Equatable {
    public var keyA: String
    public var keyB: String
    public init(keyA: String, keyB: String) { self.keyA = keyA; self.keyB = keyB }
    enum CodingKeys: String, CodingKey { case keyA = "KeyA", keyB = "KeyB" }
}

public struct SwapReply: Codable, Sendable, Equatable {
    public var err: Err
    public init(err: Err) { self.err = err }
    enum CodingKeys: String, CodingKey { case err = "Err" }
}

/// An Append from a client that keeps several requests in flight at once (exercise 6). `Seq`
/// numbers the client's requests; `Ack` says that the client has the replies to every request
/// numbered below it, so a server may forget those.
public struct WindowedAppendArgs: Codable, Sendable, Equatable {
    public var ack: Int
    public var clientID: Int
    public var key: String
    public var seq: Int
    public var value: String
    public init(clientID: Int, seq: Int, ack: Int, key: String, value: String) {
        self.clientID = clientID
        self.seq = seq
        self.ack = ack
        self.key = key
        self.value = value
    }
    enum CodingKeys: String, CodingKey { case ack = "Ack", clientID = "ClientId", key = "Key", seq = "Seq", value = "Value" }
}
