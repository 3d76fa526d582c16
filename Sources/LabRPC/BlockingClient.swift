import Foundation
import LabKit
import LabNet

/// An RPC client (JSON-RPC, gob, or gob over HTTP) whose `call` blocks the calling thread until the reply arrives, as Go's
/// `client.Call` blocks its goroutine: write the request, read until its reply, on one thread.
/// For code that runs on `Thread`s. Never call it from a task: it would hold one of the
/// cooperative pool's threads while it waits (use `RPCClient` there). One call at a time.
public final class BlockingRPCClient: @unchecked Sendable {
    private let conn: TCPConnection
    private let lock = NSLock()  // one call at a time; guards the codec and the id
    private let codec: ClientCodec
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)
    private var nextID: UInt64 = 0
    private var readTimeout: Duration?  // what the socket is set to: a system call only on change

    public init(host: String, port: Int, dialTimeout: Duration = .seconds(5), wire: WireProtocol = .jsonrpc) throws {
        precondition(wire != .auto, "a client says what it speaks")
        codec = ClientCodec(wire, limit: RPCClient.maxReplyBytes)
        conn = try codec.connect(host: host, port: port, timeout: dialTimeout)
    }

    deinit { conn.close() }

    public func close() { conn.close() }

    /// Calls `method` and waits at most `timeout` for its reply, however the reply trickles in:
    /// the socket's read timeout bounds each read, and the time left bounds the next one.
    public func call<Args: Encodable, Reply: Decodable>(
        _ method: String, _ args: Args, timeout: Duration = .seconds(10)
    ) throws -> Reply {
        try lock.withLock {
            let deadline = Deadline.after(timeout)  // the whole call, encoding and writing included
            let params = try codec.prepare(args)
            let id = nextID
            nextID += 1
            let request = codec.request(method, params, id: id)
            do {
                try conn.write(request, deadline: deadline)
            } catch {
                conn.close()  // a request cut off halfway leaves the stream unusable
                throw RPCError.connectionLost("cannot send the request: \(error)")
            }
            var wait = timeout
            while true {
                while true {
                    let reply: (id: UInt64, outcome: Result<ReplyBody, RPCError>)
                    do throws(LabRPC.Reply.NotAReply) {
                        guard let r = try codec.next() else { break }
                        reply = r
                    } catch {
                        conn.close()  // nothing after it can be trusted: later calls fail at once
                        throw RPCError.connectionLost(error.why)
                    }
                    guard reply.id == id else { continue }  // the late reply to an earlier call that timed out
                    return try reply.outcome.get().decode(Reply.self, method: method)
                }
                if readTimeout != wait {
                    conn.setReadTimeout(wait)
                    readTimeout = wait
                }
                let n: Int
                do {
                    n = try conn.read(into: &buffer)
                } catch let e as NetError where e.kind == .timedOut {
                    throw RPCError.timeout(method: method, after: timeout)
                } catch {
                    throw RPCError.connectionLost("\(error)")
                }
                if n == 0 { throw RPCError.connectionLost("the server closed the connection") }
                codec.append(buffer[0..<n])
                // A reply that needs more reads: the next may wait only for what is left.
                let now = Deadline.now()
                guard now < deadline else { throw RPCError.timeout(method: method, after: timeout) }
                wait = .nanoseconds(max(Int64(deadline - now), 1_000_000))  // never 0: that would wait for ever
            }
        }
    }
}
