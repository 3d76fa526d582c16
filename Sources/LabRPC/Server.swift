import Foundation
import LabKit
import LabNet

/// An RPC server that speaks Go's `net/rpc`: over JSON (`net/rpc/jsonrpc`: a Go client, the seed's
/// PHP client, or a few lines of Python over a raw socket can call it), over gob (`rpc.Dial`), and
/// over gob after an HTTP CONNECT (`rpc.DialHTTP`); `wire` says which (`auto`: each connection's
/// first bytes do).
///
/// Register handlers by `"Service.Method"`; each takes one `Decodable` argument and returns one
/// `Encodable` reply, or throws: the error's description becomes the reply's `error` string.
/// As in Go's server, each request of a connection runs on its own (Go: `go service.call(...)`),
/// so a slow call does not hold up the calls behind it; each reply is written whole, in the order
/// the calls finish, and the client matches replies to calls by id.
public final class RPCServer: ConnectionServer, @unchecked Sendable {  // unchecked: `lock` guards `handlers` and `listener`
    /// A registered method, in each wire format.
    struct Handler: Sendable {
        let json: JSONHandler
        let gob: GobHandler
    }

    /// Reads its argument from the request's bytes (the range of `params[0]`; empty when there is
    /// none, which decodes to the zero value) and returns the reply's `result` bytes.
    enum JSONHandler: Sendable {
        case sync(@Sendable ([UInt8], Range<Int>) throws -> [UInt8])
        case async(@Sendable ([UInt8], Range<Int>) async throws -> [UInt8])
    }

    /// Decodes its argument from the request's body and returns the reply, encoded and waiting
    /// for its turn on the connection's gob stream.
    enum GobHandler: Sendable {
        case sync(@Sendable (GobValue) throws -> GobPrepared)
        case async(@Sendable (GobValue) async throws -> GobPrepared)
    }

    private var handlers: [String: Handler] = [:]
    private let lock = NSLock()
    private var listener: TCPListener?
    /// Largest request accepted, in bytes (an escape sequence counting as one); a bigger one is
    /// skipped and answered with an error, and the connection goes on.
    public let maxMessageBytes: Int
    /// How long a reply may wait for a client that reads nothing before its connection is given
    /// up (Go's server waits for ever).
    public let writeTimeout: Duration
    /// Calls of one connection running at once; the connection is not read while this many are.
    /// Go has no such bound: a client that sends without reading replies could pile up goroutines.
    public static let maxCallsPerConnection = 64

    /// What the connections speak.
    public let wire: WireProtocol

    public init(maxMessageBytes: Int = 1 << 20, writeTimeout: Duration = AsyncSocket.writeTimeout, wire: WireProtocol = .jsonrpc) {
        self.maxMessageBytes = maxMessageBytes
        self.writeTimeout = writeTimeout
        self.wire = wire
    }

    /// A new connection's reader of requests.
    func codec() -> any ServerCodec {
        switch wire {
        case .jsonrpc: return JSONServerCodec(self)
        case .gob: return OpeningCodec(self, wire: .gob)
        case .http, .auto: return OpeningCodec(self, wire: wire)
        }
    }

    /// Registers `handler` as `name` ("KV.Get"). In the threads model it may block: it has a
    /// thread to itself. In the tasks model it runs on the poller's thread, with every other
    /// connection's task, so there it must not block (a lock held for a moment is fine); one that
    /// waits should be the `async` form, which suspends instead.
    public func register<Args: Decodable & SendableMetatype, Reply: Encodable & SendableMetatype>(
        _ name: String, _ handler: @escaping @Sendable (Args) throws -> Reply
    ) {
        let schema = Result { try GobPrepared.schema(of: Reply.self) }
        let argsSchema = Result { try GobSchema.of(Args.self) }
        let entry = Handler(
            json: .sync { bytes, params in try GoJSON.encode(try handler(Self.arguments(name, bytes, params))) },
            gob: .sync { body in try GobPrepared(try handler(Self.arguments(name, body, argsSchema)), schema: schema.get()) })
        lock.withLock { handlers[name] = entry }
    }

    /// Registers an `async` handler: one that waits by suspending (`Task.sleep`, another call).
    public func register<Args: Decodable & SendableMetatype, Reply: Encodable & SendableMetatype>(
        _ name: String, _ handler: @escaping @Sendable (Args) async throws -> Reply
    ) {
        let schema = Result { try GobPrepared.schema(of: Reply.self) }
        let argsSchema = Result { try GobSchema.of(Args.self) }
        let entry = Handler(
            json: .async { bytes, params in try GoJSON.encode(try await handler(Self.arguments(name, bytes, params))) },
            gob: .async { body in try GobPrepared(try await handler(Self.arguments(name, body, argsSchema)), schema: schema.get()) })
        lock.withLock { handlers[name] = entry }
    }

    static func arguments<Args: Decodable>(_ name: String, _ bytes: [UInt8], _ params: Range<Int>) throws -> Args {
        do {
            return try GoJSON.decode(Args.self, from: bytes, at: params)
        } catch {
            throw RPCServerError("rpc: cannot decode arguments of \(name): \(Self.describe(error))")
        }
    }

    static func arguments<Args: Decodable>(_ name: String, _ body: GobValue, _ schema: Result<GobSchema, any Error>) throws -> Args {
        do {
            return try GobDecoding.decode(Args.self, from: body, schema: schema.get())
        } catch {
            throw RPCServerError("rpc: cannot decode arguments of \(name): \(Self.describe(error))")
        }
    }

    /// Starts serving on `host:port` (port 0: a free one) in `model` and returns the port.
    @discardableResult
    public func listen(host: String = "127.0.0.1", port: Int = 0, model: ConnectionModel = .threads, loops: Int = 1) throws -> Int {
        let l = try TCPListener(host: host, port: port)
        lock.withLock { listener = l }
        l.serve(self, model: model, loops: loops)
        return l.port
    }

    public func stop() { lock.withLock { listener }?.close() }

    // MARK: - Requests

    /// What to do with one framed message: a call to run, or an error to answer with at once.
    enum Request {
        case call(JSONHandler, bytes: [UInt8], params: Range<Int>, id: [UInt8])
        case answer([UInt8], closing: Bool)
    }

    /// Reads one message as Go's server does, leniently where it is lenient: member names in any
    /// case, `params` of any length (`[]` and `[null]` mean zero arguments, extra ones are
    /// ignored). Errors are Go's strings and carry the request's id whenever it could be read.
    func request(_ frame: JSONFramer.Frame) -> Request {
        let null = Array("null".utf8)
        let bytes: [UInt8]
        switch frame {
        case .refused(.notAnObject, _):
            return .answer(Self.reply(id: null, error: "rpc: a request must be a JSON object"), closing: true)
        case .refused(.tooLarge, let id):
            return .answer(Self.reply(id: id.flatMap(JSONScan.compact) ?? null, error: "rpc: request larger than \(maxMessageBytes) bytes"), closing: false)
        case .refused(.tooDeep, let id):
            return .answer(Self.reply(id: id.flatMap(JSONScan.compact) ?? null, error: "rpc: request nested deeper than \(JSONFramer.maxDepth)"), closing: false)
        case .value(let b):
            bytes = b
        }
        let fields: JSONScan.Fields
        do {
            guard let f = try JSONScan.objectFields(bytes) else {
                return .answer(Self.reply(id: null, error: "rpc: a request must be a JSON object"), closing: false)
            }
            fields = f
        } catch {
            let id = JSONFramer.topLevelID(of: bytes).flatMap(JSONScan.compact) ?? null
            return .answer(Self.reply(id: id, error: "rpc: malformed JSON in request"), closing: false)
        }
        // The id goes back as Go's encoder writes it; `method` is a string, which a later `null`
        // leaves as it was, where `params` and `id` are raw values, which a `null` clears.
        let id = fields["id"].flatMap { JSONScan.compact(Array(bytes[$0])) } ?? null
        var method = ""
        if let m = fields["method", skippingNull: true], bytes[m.lowerBound] != UInt8(ascii: "n") {
            guard let s = JSONScan.string(bytes, m) else { return .answer(Self.reply(id: id, error: "rpc: the method must be a string"), closing: false) }
            method = s
        }
        let handler: Handler
        do {
            handler = try lookup(method)
        } catch {
            return .answer(Self.reply(id: id, error: "\(error)"), closing: false)
        }
        guard let p = fields["params"], bytes[p.lowerBound] != UInt8(ascii: "n") else {
            return .answer(Self.reply(id: id, error: "jsonrpc: request body missing params"), closing: false)
        }
        guard let params = JSONScan.arrayElements(bytes, p) else {
            return .answer(Self.reply(id: id, error: "jsonrpc: params must be an array"), closing: false)
        }
        return .call(handler.json, bytes: bytes, params: params.first ?? 0..<0, id: id)
    }

    /// The reply to a call.
    static func run(_ handler: JSONHandler, _ bytes: [UInt8], _ params: Range<Int>, id: [UInt8]) async -> [UInt8] {
        do {
            switch handler {
            case .sync(let h): return reply(id: id, result: try h(bytes, params))
            case .async(let h): return reply(id: id, result: try await h(bytes, params))
            }
        } catch {
            return reply(id: id, error: "\(error)")
        }
    }

    /// The reply to a call, from a thread that may block (an `async` handler is waited for).
    static func runBlocking(_ handler: JSONHandler, _ bytes: [UInt8], _ params: Range<Int>, id: [UInt8]) -> [UInt8] {
        do {
            switch handler {
            case .sync(let h): return reply(id: id, result: try h(bytes, params))
            case .async(let h): return reply(id: id, result: try waitFor { try await h(bytes, params) })
            }
        } catch {
            return reply(id: id, error: "\(error)")
        }
    }

    /// Runs the handler of `method` on `params` in this process, as a request arriving on a
    /// connection would: what the simulated network delivers to.
    public func handle(_ method: String, _ params: Data) async throws -> Data {
        let bytes = [UInt8](params)
        switch try lookup(method).json {
        case .sync(let h): return Data(try h(bytes, 0..<bytes.count))
        case .async(let h): return Data(try await h(bytes, 0..<bytes.count))
        }
    }

    /// Go's own messages for a name it cannot serve.
    func lookup(_ method: String) throws -> Handler {
        if let h = lock.withLock({ handlers[method] }) { return h }  // every name registered has its dot
        guard let dot = method.lastIndex(of: ".") else {
            throw RPCServerError("rpc: service/method request ill-formed: \(method)")
        }
        let service = method[..<dot]
        return try lock.withLock {
            if let h = handlers[method] { return h }
            if handlers.keys.contains(where: { $0.hasPrefix(service + ".") }) {
                throw RPCServerError("rpc: can't find method \(method)")
            }
            throw RPCServerError("rpc: can't find service \(method)")
        }
    }

    // MARK: - Messages

    /// `{"id":…,"result":…,"error":null}` followed by a newline, in the order Go writes them.
    static func reply(id: [UInt8], result: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(36 + id.count + result.count)
        out.append(contentsOf: "{\"id\":".utf8)
        out.append(contentsOf: id)
        out.append(contentsOf: ",\"result\":".utf8)
        out.append(contentsOf: result)
        out.append(contentsOf: ",\"error\":null}\n".utf8)
        return out
    }

    /// `{"id":…,"result":null,"error":"…"}` followed by a newline.
    static func reply(id: [UInt8], error: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(40 + id.count + error.utf8.count)
        out.append(contentsOf: "{\"id\":".utf8)
        out.append(contentsOf: id)
        out.append(contentsOf: ",\"result\":null,\"error\":".utf8)
        GoJSON.appendQuoted(error, to: &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// `{"method":…,"params":[…],"id":…}` followed by a newline, as Go's client writes it.
    static func request(_ method: String, _ params: [UInt8], id: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(48 + method.utf8.count + params.count)
        out.append(contentsOf: "{\"method\":".utf8)
        GoJSON.appendQuoted(method, to: &out)
        out.append(contentsOf: ",\"params\":[".utf8)
        out.append(contentsOf: params)
        out.append(contentsOf: "],\"id\":".utf8)
        out.append(contentsOf: String(id).utf8)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(let type, let ctx): return "expected \(type) at \(path(ctx))"
        case .keyNotFound(let key, let ctx): return "missing field \(key.stringValue)\(ctx.codingPath.isEmpty ? "" : " in " + path(ctx))"
        case .valueNotFound(let type, let ctx): return "expected \(type) at \(path(ctx)), found null"
        case .dataCorrupted(let ctx): return ctx.debugDescription
        default: return "\(error)"
        }
    }

    static func path(_ ctx: DecodingError.Context) -> String {
        ctx.codingPath.isEmpty ? "the top level" : ctx.codingPath.map(\.stringValue).joined(separator: ".")
    }
}

/// An error whose description is sent to the caller as the reply's `error` string.
public struct RPCServerError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `body` in a task and blocks the calling Thread until it is done: the bridge from a thread
/// that may block (never a task's) to `async` code.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = NSCondition()
    nonisolated(unsafe) var result: Result<T, any Error>?
    Task {
        let r: Result<T, any Error>
        do { r = .success(try await body()) } catch { r = .failure(error) }
        done.withLock {
            result = r
            done.signal()
        }
    }
    return try done.withLock {
        while result == nil { done.wait() }
        return try result!.get()
    }
}
