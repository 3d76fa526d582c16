// Go's net/rpc over gob, the server side (net/rpc/server.go's gobServerCodec and readRequest):
// each request is two gob values on the connection's stream, a `Request` header and the
// arguments; each reply is a `Response` header and the reply, or an empty struct after an error.

/// Reads net/rpc's gob requests.
final class GobServerCodec: ServerCodec, @unchecked Sendable {  // unchecked: only the reader touches it
    private let server: RPCServer
    private var framer: GobFramer
    private var input = GobInput()
    private var header: GoRequestHeader?

    init(_ server: RPCServer) {
        self.server = server
        framer = GobFramer(limit: server.maxMessageBytes)
    }

    func append<C: Collection<UInt8>>(_ bytes: C) { framer.append(bytes) }

    func next() -> ServerRequest? {
        while true {
            let value: GobValue
            do {
                switch try framer.next() {
                case nil: return nil
                case .tooLarge?:
                    // Go's server would read it whole; this one answers and reads on. A header
                    // that big cannot be answered: there is no Seq to answer.
                    guard let h = header else { return .close }
                    header = nil
                    return .answer(Self.error("rpc: request larger than \(server.maxMessageBytes) bytes", h), closing: false)
                case .message(let message)?:
                    guard case .value(_, let v) = try input.read(message, 0..<message.count) else { continue }
                    value = v
                }
            } catch {
                // The stream cannot be read on (its types or its framing are broken); a call whose
                // header came is told why, as Go tells a body it cannot decode, and the
                // connection ends (Go's reads on, out of step).
                guard let h = header else { return .close }
                header = nil
                return .answer(Self.error("\(error)", h), closing: true)
            }
            guard let h = header else {
                guard let decoded = GoRequestHeader(value) else { return .close }
                header = decoded
                continue
            }
            header = nil
            do {
                return .call(.gob(try server.lookup(h.serviceMethod).gob, value, h))
            } catch {
                return .answer(Self.error("\(error)", h), closing: false)
            }
        }
    }

    /// An error reply: Go sends the error in the header and an empty struct as the body.
    static func error(_ message: String, _ h: GoRequestHeader) -> Outgoing {
        .gob(GoResponseHeader(serviceMethod: h.serviceMethod, seq: h.seq, error: message), empty)
    }

    static let empty = try! GobPrepared(GoEmptyStruct())
}
