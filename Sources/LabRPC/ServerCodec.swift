import LabNet

// The layer between a connection's bytes and the server's handlers: each wire format reads
// requests from the bytes (`ServerCodec`), and each reply is turned into bytes in the order the
// replies are written (`ReplyEncoder`), since a gob stream numbers its types as it goes.

/// One connection's wire format, as its reader sees it: bytes in, requests out. Only the
/// connection's reader calls it (one thread or task at a time).
protocol ServerCodec: AnyObject, Sendable {
    func append<C: Collection<UInt8>>(_ bytes: C)
    /// The next request, nil until more bytes come.
    func next() -> ServerRequest?
}

/// What a codec read.
enum ServerRequest: Sendable {
    case call(ServerCall)
    /// Written at once, in turn with the replies: an error, or a handshake.
    case answer(Outgoing, closing: Bool)
    /// The stream cannot be read on: the connection ends once its calls have answered.
    case close
}

/// A reply waiting for its turn to be written.
enum Outgoing: Sendable {
    case bytes([UInt8])
    case gob(GoResponseHeader, GobPrepared)
}

/// A call, run by whoever the connection model gives it to.
enum ServerCall: Sendable {
    case json(RPCServer.JSONHandler, bytes: [UInt8], params: Range<Int>, id: [UInt8])
    case gob(RPCServer.GobHandler, GobValue, GoRequestHeader)

    /// Whether the handler is `async` (it may suspend, so it gets a task of its own).
    var suspends: Bool {
        switch self {
        case .json(.async, _, _, _), .gob(.async, _, _): return true
        default: return false
        }
    }

    /// The reply, from a thread that may block.
    func runBlocking() -> Outgoing {
        switch self {
        case .json(let h, let bytes, let params, let id):
            return .bytes(RPCServer.runBlocking(h, bytes, params, id: id))
        case .gob(.sync(let h), let body, let header):
            return Self.reply(header) { try h(body) }
        case .gob(.async(let h), let body, let header):
            return Self.reply(header) { try waitFor { try await h(body) } }
        }
    }

    func run() async -> Outgoing {
        switch self {
        case .json(let h, let bytes, let params, let id):
            return .bytes(await RPCServer.run(h, bytes, params, id: id))
        case .gob(.sync(let h), let body, let header):
            return Self.reply(header) { try h(body) }
        case .gob(.async(let h), let body, let header):
            do {
                return .gob(GoResponseHeader(serviceMethod: header.serviceMethod, seq: header.seq), try await h(body))
            } catch {
                return GobServerCodec.error("\(error)", header)
            }
        }
    }

    private static func reply(_ header: GoRequestHeader, _ body: () throws -> GobPrepared) -> Outgoing {
        do {
            return .gob(GoResponseHeader(serviceMethod: header.serviceMethod, seq: header.seq), try body())
        } catch {
            return GobServerCodec.error("\(error)", header)
        }
    }
}

/// Turns replies into bytes, in the order they are written: called only under the connection's
/// write lock, so the gob stream's type numbering follows the bytes on the wire.
final class ReplyEncoder: @unchecked Sendable {  // unchecked: the connection's write lock guards `gob`
    private var gob = GobOutput()

    func bytes(_ reply: Outgoing) -> [UInt8] {
        switch reply {
        case .bytes(let b): return b
        case .gob(let header, let body):
            var out: [UInt8] = []
            gob.write(header.prepared, into: &out)
            gob.write(body, into: &out)
            return out
        }
    }
}

/// Go's net/rpc/jsonrpc, read by `RPCServer.request`.
final class JSONServerCodec: ServerCodec, @unchecked Sendable {  // unchecked: only the reader touches it
    private let server: RPCServer
    private var framer: JSONFramer

    init(_ server: RPCServer) {
        self.server = server
        framer = JSONFramer(limit: server.maxMessageBytes)
    }

    func append<C: Collection<UInt8>>(_ bytes: C) { framer.append(bytes) }

    func next() -> ServerRequest? {
        guard let frame = framer.next() else { return nil }
        switch server.request(frame) {
        case .answer(let reply, let closing): return .answer(.bytes(reply), closing: closing)
        case .call(let h, let bytes, let params, let id): return .call(.json(h, bytes: bytes, params: params, id: id))
        }
    }
}
