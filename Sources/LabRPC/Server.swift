import Foundation
import LabKit

/// A JSON-RPC server that speaks Go's `net/rpc/jsonrpc`: a Go client, the seed's PHP client, or a
/// few lines of Python over a raw socket can call it.
///
/// Register handlers by `"Service.Method"`; each takes one `Decodable` argument and returns one
/// `Encodable` reply, or throws: the error's description becomes the reply's `error` string.
/// Every connection is served by a Thread of its own, reading requests one after another.
public final class RPCServer: @unchecked Sendable {
    /// A handler reads its argument from the request's bytes (the range of `params[0]`).
    private var handlers: [String: @Sendable ([UInt8], Range<Int>) throws -> [UInt8]] = [:]
    private let lock = NSLock()  // guards `handlers`
    private var listener: TCPListener?
    /// Largest request accepted, in bytes; a bigger one gets an error and its connection is closed.
    public var maxMessageBytes = 1 << 20

    public init() {}

    /// Registers `handler` as `name` ("KV.Get").
    public func register<Args: Decodable & SendableMetatype, Reply: Encodable & SendableMetatype>(
        _ name: String, _ handler: @escaping @Sendable (Args) throws -> Reply
    ) {
        lock.withLock {
            handlers[name] = { bytes, params in
                let args: Args
                do {
                    args = try GoJSON.decode(Args.self, from: bytes, at: params)
                } catch {
                    throw RPCServerError("rpc: cannot decode arguments of \(name): \(Self.describe(error))")
                }
                return try GoJSON.encode(try handler(args))
            }
        }
    }

    /// Starts serving on `host:port` (port 0: a free one) and returns the port.
    @discardableResult
    public func listen(host: String = "127.0.0.1", port: Int = 0) throws -> Int {
        let l = try TCPListener(host: host, port: port)
        listener = l
        l.serve { [self] conn in serve(conn) }
        return l.port
    }

    public func stop() { listener?.close() }

    /// Serves one connection until the peer closes it or sends something that is not a request.
    public func serve(_ conn: TCPConnection) {
        defer { conn.close() }
        var framer = JSONFramer(limit: maxMessageBytes)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            while let frame = framer.next() {
                switch frame {
                case .value(let bytes):
                    guard (try? conn.write(respond(to: bytes))) != nil else { return }
                case .notAnObject:
                    try? conn.write(Self.reply(id: "null", result: nil, error: "rpc: a request must be a JSON object"))
                    return
                case .tooLarge:
                    try? conn.write(Self.reply(id: "null", result: nil, error: "rpc: request larger than \(maxMessageBytes) bytes"))
                    return
                }
            }
            guard let n = try? conn.read(into: &buffer), n > 0 else { return }
            framer.append(buffer[0..<n])
        }
    }

    /// The reply to one request. Values are located in the request's own bytes (`JSONScan`), so
    /// the id goes back exactly as it came and the arguments go to the decoder untouched.
    func respond(to bytes: [UInt8]) -> [UInt8] {
        let fields: JSONScan.Fields?
        do {
            fields = try JSONScan.objectFields(bytes)
        } catch {
            return Self.reply(id: "null", result: nil, error: "rpc: malformed JSON in request")
        }
        guard let fields else {
            return Self.reply(id: "null", result: nil, error: "rpc: a request must be a JSON object")
        }
        let id = fields["id"].map { String(decoding: bytes[$0], as: UTF8.self) } ?? "null"
        guard let m = fields["method"], let method = JSONScan.string(bytes, m) else {
            return Self.reply(id: id, result: nil, error: "rpc: request has no method")
        }
        guard let p = fields["params"], let params = JSONScan.arrayElements(bytes, p), params.count == 1 else {
            return Self.reply(id: id, result: nil, error: "jsonrpc: params must be an array of one value")
        }
        do {
            let handler = try lookup(method)
            let result = try handler(bytes, params[0])
            return Self.reply(id: id, result: result, error: nil)
        } catch {
            return Self.reply(id: id, result: nil, error: "\(error)")
        }
    }

    /// Runs the handler of `method` on `params` in this process, as a request arriving on a
    /// connection would: what the simulated network delivers to.
    public func handle(_ method: String, _ params: Data) throws -> Data {
        let bytes = [UInt8](params)
        return Data(try lookup(method)(bytes, 0..<bytes.count))
    }

    /// Go's own messages for a name it cannot serve.
    func lookup(_ method: String) throws -> @Sendable ([UInt8], Range<Int>) throws -> [UInt8] {
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

    /// `{"id":…,"result":…,"error":…}` followed by a newline, in the order Go writes them.
    static func reply(id: String, result: [UInt8]?, error: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(40 + (result?.count ?? 0) + (error?.utf8.count ?? 0))
        out.append(contentsOf: "{\"id\":".utf8)
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: ",\"result\":".utf8)
        out.append(contentsOf: result ?? Array("null".utf8))
        out.append(contentsOf: ",\"error\":".utf8)
        if let error { GoJSON.appendQuoted(error, to: &out) } else { out.append(contentsOf: "null".utf8) }
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

extension RPCServer {
    /// The `main` of a server program: `--listen`, the handlers `register` adds, then
    /// `NAME listening on HOST:PORT` on standard output and serving until the process is stopped.
    public static func runProgram(name: String, summary: String, register: (RPCServer) -> Void) {
        Tool(
            name: name, summary: summary,
            options: [.value("--listen", "HOST:PORT", "Address to listen on; port 0 picks a free one.", default: "127.0.0.1:0")],
            discussion: "Prints `\(name) listening on HOST:PORT`, then serves until stopped (Ctrl-C)."
        ).mainSync { flags in
            let (host, port) = try parseAddress(flags.string("--listen")!, option: "--listen")
            let server = RPCServer()
            register(server)
            let bound = try server.listen(host: host, port: port)
            print("\(name) listening on \(host):\(bound)")
            fflush(nil)  // so that a script reading the pipe sees the port at once
            while true { sleep(3600) }
        }
    }
}
