import LabNet

// A client's side of one connection's wire format: requests out (JSON-RPC's `{"method", "params",
// "id"}`, or net/rpc's gob `Request` header and the arguments), replies in (matched to their calls
// by `id` or `Seq`).

/// A call's arguments, encoded before the call takes its turn on the connection.
enum PreparedArgs: Sendable {
    case json([UInt8])
    case gob(GobPrepared)
}

/// What a reply carried, for the caller to decode into its type.
enum ReplyBody: Sendable {
    case json([UInt8], Range<Int>)
    case gob(GobValue)

    func decode<T: Decodable>(_ type: T.Type, method: String) throws -> T {
        do {
            switch self {
            case .json(let bytes, let result): return try GoJSON.decode(T.self, from: bytes, at: result)
            case .gob(let value): return try GobDecoding.decode(T.self, from: value, schema: GobSchema.of(T.self))
            }
        } catch {
            throw RPCError.server("cannot decode the reply to \(method): \(RPCServer.describe(error))")
        }
    }
}

final class ClientCodec: @unchecked Sendable {  // unchecked: `out` under the client's write lock; the rest, its reader only
    let wire: WireProtocol
    private var out = GobOutput()
    private var json: JSONFramer
    private var gob: GobFramer
    private var input = GobInput()
    private var header: GoResponseHeader?
    private var started = false  // a byte of the reply stream has been seen

    init(_ wire: WireProtocol, limit: Int) {
        self.wire = wire
        json = JSONFramer(limit: limit)
        gob = GobFramer(limit: limit)
    }

    /// Dials `host:port` and, for `http`, makes the CONNECT (what came after its answer is the
    /// start of the replies); every failure is a lost connection.
    func connect(host: String, port: Int, timeout: Duration) throws -> TCPConnection {
        let conn: TCPConnection
        do {
            conn = try TCPConnection.connect(host: host, port: port, timeout: timeout)
        } catch {
            throw RPCError.connectionLost("\(error)")
        }
        guard wire == .http else { return conn }
        do {
            append(try HTTPConnect.dial(conn, timeout: timeout))
        } catch {
            conn.close()
            throw error as? RPCError ?? RPCError.connectionLost("\(error)")
        }
        return conn
    }

    func prepare<Args: Encodable>(_ args: Args) throws -> PreparedArgs {
        wire == .jsonrpc ? .json(try GoJSON.encode(args)) : .gob(try GobPrepared(args))
    }

    /// The request's bytes: called under the client's write lock, in the order requests are written.
    func request(_ method: String, _ args: PreparedArgs, id: UInt64) -> [UInt8] {
        switch args {
        case .json(let params):
            return RPCServer.request(method, params, id: id)
        case .gob(let body):
            var bytes: [UInt8] = []
            out.write(GoRequestHeader(serviceMethod: method, seq: id).prepared, into: &bytes)
            out.write(body, into: &bytes)
            return bytes
        }
    }

    func append<C: Collection<UInt8>>(_ bytes: C) {
        if !started, let first = bytes.first {
            started = true
            mismatch = Self.mismatch(first, wire)
        }
        if wire == .jsonrpc { json.append(bytes) } else { gob.append(bytes) }
    }

    /// What the first byte of the replies says when the server speaks another format than this
    /// client: a student who picked the wrong `--protocol` is told so, not "not a reply".
    private var mismatch: String?

    static func mismatch(_ first: UInt8, _ wire: WireProtocol) -> String? {
        switch (wire, first) {
        case (.jsonrpc, UInt8(ascii: "{")), (.jsonrpc, UInt8(ascii: " ")), (.jsonrpc, 0x09), (.jsonrpc, 0x0A), (.jsonrpc, 0x0D): return nil
        case (.jsonrpc, UInt8(ascii: "H")): return "the server answered in HTTP: use --protocol http"
        case (.jsonrpc, _): return "the server answered in gob, not JSON: use --protocol gob"
        case (_, UInt8(ascii: "{")): return "the server answered in JSON-RPC, not gob: use --protocol jsonrpc"
        default: return nil
        }
    }

    /// The next reply: the id of the call it answers, and its body or error. Throws when the
    /// stream holds something after which nothing can be trusted.
    func next() throws(Reply.NotAReply) -> (id: UInt64, outcome: Result<ReplyBody, RPCError>)? {
        if let mismatch { throw Reply.NotAReply(why: mismatch) }
        if wire == .jsonrpc {
            guard let frame = json.next() else { return nil }
            let reply = try Reply.read(frame, limit: json.limit)
            return (reply.id, reply.outcome.map { .json($0.bytes, $0.result) })
        }
        do {
            while let frame = try gob.next() {
                guard case .message(let message) = frame else {
                    guard let h = header else { throw Reply.NotAReply(why: "the server sent a reply header larger than the client's limit of \(gob.limit) bytes") }
                    header = nil
                    return (h.seq, .failure(.badReply("larger than \(gob.limit) bytes")))
                }
                guard case .value(_, let value) = try input.read(message, 0..<message.count) else { continue }
                guard let h = header else {
                    guard let h = GoResponseHeader(value) else { throw Reply.NotAReply(why: "the server sent a reply header that is not net/rpc's Response") }
                    header = h
                    continue
                }
                header = nil
                // Go's client: a reply with an error has a body too, which it reads and drops.
                return (h.seq, h.error.isEmpty ? .success(.gob(value)) : .failure(.server(h.error)))
            }
            return nil
        } catch let e as Reply.NotAReply {
            throw e
        } catch {
            throw Reply.NotAReply(why: "the server sent something that is not a reply: \(error)")
        }
    }
}
