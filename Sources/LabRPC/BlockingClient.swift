import Foundation
import LabKit

/// A JSON-RPC client whose `call` blocks the calling thread until the reply arrives, as Go's
/// `client.Call` blocks its goroutine: write the request, read until its reply, on one thread.
/// For code that runs on `Thread`s. Never call it from a task: it would hold one of the
/// cooperative pool's threads while it waits (use `RPCClient` there). One call at a time.
public final class BlockingRPCClient: @unchecked Sendable {
    private let conn: TCPConnection
    private let lock = NSLock()  // one call at a time; guards the framer and the id
    private var framer = JSONFramer(limit: 64 << 20)
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)
    private var nextID: UInt64 = 0
    private var readTimeout: Duration?  // what the socket is set to: a system call only on change

    public init(host: String, port: Int, dialTimeout: Duration = .seconds(5)) throws {
        do {
            conn = try TCPConnection.connect(host: host, port: port, timeout: dialTimeout)
        } catch {
            throw RPCError.connectionLost("\(error)")
        }
    }

    deinit { conn.close() }

    public func close() { conn.close() }

    public func call<Args: Encodable, Reply: Decodable>(
        _ method: String, _ args: Args, timeout: Duration = .seconds(10)
    ) throws -> Reply {
        try lock.withLock {
            let params = try GoJSON.encode(args)
            let id = nextID
            nextID += 1
            let request = RPCServer.request(method, params, id: id)
            do {
                try conn.write(request)
            } catch {
                throw RPCError.connectionLost("\(error)")
            }
            if readTimeout != timeout {
                conn.setReadTimeout(timeout)
                readTimeout = timeout
            }
            while true {
                while let frame = framer.next() {
                    guard case .value(let bytes) = frame, let fields = (try? JSONScan.objectFields(bytes)) ?? nil,
                          let idRange = fields["id"], let replyID = UInt64(String(decoding: bytes[idRange], as: UTF8.self)) else {
                        throw RPCError.connectionLost("the server sent something that is not a reply")
                    }
                    guard replyID == id else { continue }  // the late reply to an earlier call that timed out
                    if let e = fields["error"], let error = JSONScan.string(bytes, e) { throw RPCError.server(error) }
                    do {
                        return try GoJSON.decode(Reply.self, from: bytes, at: fields["result"] ?? idRange)
                    } catch {
                        throw RPCError.server("cannot decode the reply to \(method): \(RPCServer.describe(error))")
                    }
                }
                let n: Int
                do {
                    n = try conn.read(into: &buffer)
                } catch let e as NetError where e.description == "read timed out" {
                    throw RPCError.timeout(method: method, after: timeout)
                } catch {
                    throw RPCError.connectionLost("\(error)")
                }
                if n == 0 { throw RPCError.connectionLost("the server closed the connection") }
                framer.append(buffer[0..<n])
            }
        }
    }
}
