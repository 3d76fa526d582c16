import Foundation
import LabKit

/// Why a call failed.
public enum RPCError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The server answered with an error string (Go's `error` return).
    case server(String)
    /// No reply within the call's timeout.
    case timeout(method: String, after: Duration)
    /// The connection is gone (the server closed it, vanished, or never answered the dial).
    case connectionLost(String)

    public var description: String {
        switch self {
        case .server(let s): return s
        case .timeout(let m, let d): return "\(m): no reply within \(d.short)"
        case .connectionLost(let why): return "connection lost: \(why)"
        }
    }
}

/// A JSON-RPC client over one TCP connection that carries many calls at once, as Go's
/// `rpc.Client` does: each call has an id, a reader thread matches replies to calls.
public final class RPCClient: @unchecked Sendable {
    private let conn: TCPConnection
    private let lock = NSLock()  // guards everything below, and the order of writes
    private var nextID: UInt64 = 0
    private var pending: [UInt64: Pending] = [:]

    /// A call waiting for its reply, and the timer that gives up on it.
    private struct Pending {
        var continuation: CheckedContinuation<[UInt8], any Error>
        var timer: Task<Void, Never>
    }
    private var lost: String?

    /// Dials `host:port`.
    public init(host: String, port: Int, dialTimeout: Duration = .seconds(5)) throws {
        do {
            conn = try TCPConnection.connect(host: host, port: port, timeout: dialTimeout)
        } catch {
            throw RPCError.connectionLost("\(error)")
        }
        // The reader holds the client weakly: when the client goes, `deinit` closes the
        // connection, the blocked read returns, and the thread ends.
        let reader = Thread { [weak self, conn] in Self.readReplies(conn) { self } }
        reader.name = "rpc-client-reader"
        reader.start()
    }

    deinit { conn.close() }

    public func close() { fail(all: "closed by the client"); conn.close() }

    /// Calls `method` with `args` and waits at most `timeout` for its reply.
    public func call<Args: Encodable, Reply: Decodable>(
        _ method: String, _ args: Args, timeout: Duration = .seconds(10)
    ) async throws -> Reply {
        let params = try GoJSON.encode(args)
        let data: [UInt8] = try await withCheckedThrowingContinuation { c in
            lock.lock()
            if let why = lost {
                lock.unlock()
                return c.resume(throwing: RPCError.connectionLost(why))
            }
            let id = nextID
            nextID += 1
            // One cancellable sleep on the lab's timer thread per call; cancelled when the reply comes.
            let timer = Task { [weak self] in
                guard (try? await LatencyTimer.shared.sleep(for: timeout)) != nil else { return }
                self?.expire(id, method, timeout)
            }
            pending[id] = Pending(continuation: c, timer: timer)
            let request = RPCServer.request(method, params, id: id)
            do {
                try conn.write(request)
                lock.unlock()
            } catch {
                pending[id] = nil
                lock.unlock()
                timer.cancel()
                c.resume(throwing: RPCError.connectionLost("\(error)"))
                return
            }
        }
        do {
            return try GoJSON.decode(Reply.self, from: data)
        } catch {
            throw RPCError.server("cannot decode the reply to \(method): \(RPCServer.describe(error))")
        }
    }

    private func expire(_ id: UInt64, _ method: String, _ timeout: Duration) {
        let call = lock.withLock { pending.removeValue(forKey: id) }
        call?.continuation.resume(throwing: RPCError.timeout(method: method, after: timeout))
    }

    private func fail(all why: String) {
        let waiting = lock.withLock { () -> [Pending] in
            if lost == nil { lost = why }
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for call in waiting {
            call.timer.cancel()
            call.continuation.resume(throwing: RPCError.connectionLost(why))
        }
    }

    private static func readReplies(_ conn: TCPConnection, _ client: () -> RPCClient?) {
        var framer = JSONFramer(limit: 64 << 20)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            while let frame = framer.next() {
                guard let c = client(), c.deliver(frame) else { return }
            }
            let n: Int
            do {
                n = try conn.read(into: &buffer)
            } catch {
                client()?.fail(all: "\(error)")
                return
            }
            if n == 0 {
                client()?.fail(all: "the server closed the connection")
                return
            }
            framer.append(buffer[0..<n])
        }
    }

    /// Hands one reply to the call waiting for it; false when the stream holds something else.
    private func deliver(_ frame: JSONFramer.Frame) -> Bool {
        guard case .value(let bytes) = frame, let fields = (try? JSONScan.objectFields(bytes)) ?? nil,
              let idRange = fields["id"], let id = UInt64(String(decoding: bytes[idRange], as: UTF8.self)) else {
            fail(all: "the server sent something that is not a reply")
            return false
        }
        let call = lock.withLock { pending.removeValue(forKey: id) }
        call?.timer.cancel()
        if let e = fields["error"], let error = JSONScan.string(bytes, e) {
            call?.continuation.resume(throwing: RPCError.server(error))
        } else {
            call?.continuation.resume(returning: Array(bytes[fields["result"] ?? idRange]))
        }
        return true
    }
}
