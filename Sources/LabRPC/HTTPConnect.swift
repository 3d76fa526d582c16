import Foundation
import LabKit
import LabNet

// How net/rpc starts a gob connection over HTTP (rpc.DialHTTP, rpc.HandleHTTP): the client sends
// `CONNECT /_goRPC_ HTTP/1.0` and a blank line; the server answers `HTTP/1.0 200 Connected to Go
// RPC` and a blank line, and from then on the connection is a gob stream like any other. Any other
// request to that path is answered `405 must CONNECT`. It exists so that RPC can share a port, and
// proxies, with a web server.

enum HTTPConnect {
    static let path = "/_goRPC_"
    static let request = Array("CONNECT \(path) HTTP/1.0\n\n".utf8)
    static let connected = "200 Connected to Go RPC"
    static let reply = Array("HTTP/1.0 \(connected)\n\n".utf8)
    /// The longest request head read; Go's server allows 1 MB, but a CONNECT needs one line.
    static let maxHead = 8192

    static func refusal(_ status: String, _ body: String) -> [UInt8] {
        Array("HTTP/1.0 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
    }

    /// Where a request head ends (after its blank line, `\n\n` or `\r\n\r\n`), if it has.
    static func headEnd(_ b: [UInt8]) -> Int? {
        var i = 0
        while i < b.count {
            if b[i] == 0x0A {
                if i + 1 < b.count, b[i + 1] == 0x0A { return i + 2 }
                if i + 2 < b.count, b[i + 1] == 0x0D, b[i + 2] == 0x0A { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// The server's answer to a request head: the gob stream may start, or the connection ends
    /// after the answer.
    static func answer(_ head: ArraySlice<UInt8>) -> (reply: [UInt8], connected: Bool) {
        let line = head.split(separator: 0x0A, maxSplits: 1).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return (refusal("400 Bad Request", "400 Bad Request\n"), false) }
        guard parts[1] == path else { return (refusal("404 Not Found", "404 page not found\n"), false) }
        guard parts[0] == "CONNECT" else { return (refusal("405 Method Not Allowed", "405 must CONNECT\n"), false) }
        return (reply, true)
    }
}

/// A connection whose format is not known yet: `auto` looks at its first byte, `http` expects a
/// CONNECT, `gob` checks that it is not JSON (a JSON client is told, in JSON, what this server
/// speaks, where it would otherwise wait for the rest of a "message" 123 bytes long: `{`); then
/// the connection is handed to the codec it speaks.
final class OpeningCodec: ServerCodec, @unchecked Sendable {  // unchecked: only the reader touches it
    private let server: RPCServer
    private let wire: WireProtocol
    private var expectHTTP: Bool
    private var buffer: [UInt8] = []
    private var inner: (any ServerCodec)?

    init(_ server: RPCServer, wire: WireProtocol) {
        self.server = server
        self.wire = wire
        expectHTTP = wire == .http
    }

    func append<C: Collection<UInt8>>(_ bytes: C) {
        if let inner { inner.append(bytes) } else { buffer.append(contentsOf: bytes) }
    }

    func next() -> ServerRequest? {
        if let inner { return inner.next() }
        guard let first = buffer.first else { return nil }
        if wire == .gob {
            guard first != UInt8(ascii: "{") else {
                let why = "rpc: this server speaks net/rpc's gob (rpc.Dial), not JSON-RPC: use --protocol gob, or start it with --protocol jsonrpc or auto"
                return .answer(.bytes(RPCServer.reply(id: Array("null".utf8), error: why)), closing: true)
            }
            return start(GobServerCodec(server), buffer[...])
        }
        if !expectHTTP {
            switch first {
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: " "), 0x09, 0x0A, 0x0D: return start(JSONServerCodec(server), buffer[...])
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): expectHTTP = true
            default: return start(GobServerCodec(server), buffer[...])
            }
        }
        guard let end = HTTPConnect.headEnd(buffer) else {
            guard buffer.count <= HTTPConnect.maxHead else {
                return .answer(.bytes(HTTPConnect.refusal("431 Request Header Fields Too Large", "request head too large\n")), closing: true)
            }
            return nil
        }
        let (reply, connected) = HTTPConnect.answer(buffer[..<end])
        guard connected else { return .answer(.bytes(reply), closing: true) }
        // What came after the head is the gob stream's start; it is read after the answer.
        let gob = GobServerCodec(server)
        gob.append(buffer[end...])
        buffer = []
        inner = gob
        return .answer(.bytes(reply), closing: false)
    }

    private func start(_ codec: any ServerCodec, _ rest: ArraySlice<UInt8>) -> ServerRequest? {
        codec.append(rest)
        buffer = []
        inner = codec
        return codec.next()
    }
}

extension HTTPConnect {
    /// The client's side: sends the CONNECT and reads the answer, which must be Go's exactly;
    /// returns what came after it (the start of the gob stream).
    static func dial(_ conn: TCPConnection, timeout: Duration) throws -> [UInt8] {
        let deadline = Deadline.after(timeout)
        try conn.write(request, deadline: deadline)
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            if let end = headEnd(got) {
                let line = String(decoding: got.prefix { $0 != 0x0A }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                let status = line.hasPrefix("HTTP/1.") ? String(line.dropFirst(9)) : line
                guard line.hasPrefix("HTTP/1."), status == connected else {
                    throw RPCError.connectionLost("unexpected HTTP response: \(status.prefix(200))")
                }
                return Array(got[end...])
            }
            guard got.count <= maxHead else { throw RPCError.connectionLost("unexpected HTTP response: a head longer than \(maxHead) bytes") }
            let now = Deadline.now()
            guard now < deadline else { throw RPCError.connectionLost("no HTTP response within \(timeout.short)") }
            conn.setReadTimeout(.nanoseconds(Int64(deadline - now)))
            let n = try conn.read(into: &buffer)
            guard n > 0 else {
                throw RPCError.connectionLost(got.first == UInt8(ascii: "{")
                    ? "the server answered the HTTP CONNECT in JSON-RPC: use --protocol jsonrpc"
                    : "the server closed the connection during the HTTP CONNECT")
            }
            got += buffer[0..<n]
        }
    }
}
