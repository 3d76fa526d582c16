import Foundation
import LabKit
import LabNet

/// Why a call failed.
public enum RPCError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The server answered with an error string (Go's `error` return).
    case server(String)
    /// No reply within the call's timeout.
    case timeout(method: String, after: Duration)
    /// The connection is gone (the server closed it, vanished, or never answered the dial).
    case connectionLost(String)
    /// The reply could not be read (too large, nested too deep, not JSON); the connection goes on.
    case badReply(String)

    public var description: String {
        switch self {
        case .server(let s): return s
        case .timeout(let m, let d): return "\(m): no reply within \(d.short)"
        case .connectionLost(let why): return "connection lost: \(why)"
        case .badReply(let why): return "the reply could not be read: \(why)"
        }
    }
}

/// An RPC client over one TCP connection that carries many calls at once, as Go's `rpc.Client`
/// does: each call has an id (gob: `Seq`), and replies are matched to calls by it. It speaks
/// JSON-RPC, or gob, or gob after an HTTP CONNECT (`wire`). Every client's
/// socket is watched by one shared thread (`Poller`, Go's netpoller), which hands each reply to
/// its call and times out calls that waited too long.
public final class RPCClient: PollWatcher, @unchecked Sendable {
    private let conn: TCPConnection
    private let lock = NSLock()  // guards everything below; never held while writing, so the poller never waits for a write
    private let writeLock = NSLock()  // one request written at a time, each whole
    private var nextID: UInt64 = 0
    private var pending: [UInt64: Pending] = [:]
    private var earliest: UInt64 = .max  // no call is due before this (it may be early: then none is)
    private var lost: String?
    private var token: UInt64 = 0
    private let codec: ClientCodec  // its reading side: the poller's thread only; its writing side: under writeLock

    /// The largest reply a client reads; a larger one fails its call and is skipped.
    public static let maxReplyBytes = 64 << 20
    /// What the poller reads of one client's socket at a time, before it looks at the deadlines
    /// again: however fast a large reply streams in, a call's timeout fires on time.
    static let readTurn = 1 << 20

    /// A call waiting for its reply.
    private struct Pending {
        var continuation: CheckedContinuation<ReplyBody, any Error>
        var deadline: UInt64
        var method: String
        var timeout: Duration
    }

    /// The thread that reads every client's replies, as a `TaskExecutor`. A task that makes its
    /// calls there (`group.addTask(executorPreference: RPCClient.executor)`) is resumed by its reply
    /// on that thread, without a switch to the cooperative pool; keep such tasks' own work short.
    public static var executor: any TaskExecutor { Poller.shared }
    private var poller: Poller { Poller.shared }

    /// Dials `host:port`, to speak `wire` (`http`: gob after an HTTP CONNECT, as `rpc.DialHTTP`).
    public init(host: String, port: Int, dialTimeout: Duration = .seconds(5), wire: WireProtocol = .jsonrpc) throws {
        precondition(wire != .auto, "a client says what it speaks")
        codec = ClientCodec(wire, limit: Self.maxReplyBytes)
        conn = try codec.connect(host: host, port: port, timeout: dialTimeout)
        let token = poller.watch(conn.fd, self)
        lock.withLock { self.token = token }
    }

    deinit {
        poller.unwatch(token)
        conn.close()
    }

    public func close() {
        fail(all: "closed by the client")
        poller.unwatch(lock.withLock { token })
        conn.close()
    }

    /// Calls `method` with `args` and waits at most `timeout` for its reply.
    public func call<Args: Encodable, Reply: Decodable>(
        _ method: String, _ args: Args, timeout: Duration = .seconds(10)
    ) async throws -> Reply {
        let deadline = Deadline.after(timeout)  // the whole call, encoding and writing included
        let params = try codec.prepare(args)
        let body = try await withCheckedThrowingContinuation { (c: CheckedContinuation<ReplyBody, any Error>) in
            lock.lock()
            if let why = lost {
                lock.unlock()
                return c.resume(throwing: RPCError.connectionLost(why))
            }
            let id = nextID
            nextID += 1
            pending[id] = Pending(continuation: c, deadline: deadline, method: method, timeout: timeout)
            if deadline < earliest {
                earliest = deadline
                poller.due(token, at: deadline)
            }
            lock.unlock()
            // A server that reads nothing holds this write until the call's deadline, not for
            // ever; a request cut off halfway leaves the stream unusable, so the connection goes.
            do {
                try writeLock.withLock { try conn.write(codec.request(method, params, id: id), deadline: deadline) }
            } catch {
                fail(all: "cannot send the request: \(error)")
                close()  // out of the poller's set first: its number may be another socket's after
            }
        }
        // The reply was read on the poller's thread, before it took `lock` to find this call.
        // When the reply comes before this task has finished suspending, the runtime hands it
        // over without telling ThreadSanitizer, which then calls the reading of it a race; taking
        // the lock here shows it the order that the continuation already gives.
        lock.withLock {}
        return try body.decode(Reply.self, method: method)
    }

    public func expire(now: UInt64) -> UInt64 {
        let (due, next) = lock.withLock { () -> ([Pending], UInt64) in
            var due: [Pending] = []
            earliest = .max
            for (id, call) in pending {
                if call.deadline <= now {
                    due.append(call)
                    pending[id] = nil
                } else {
                    earliest = min(earliest, call.deadline)
                }
            }
            return (due, earliest)
        }
        for call in due { call.continuation.resume(throwing: RPCError.timeout(method: call.method, after: call.timeout)) }
        return next
    }

    private func fail(all why: String) {
        let waiting = lock.withLock { () -> [Pending] in
            if lost == nil { lost = why }
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for call in waiting {
            call.continuation.resume(throwing: RPCError.connectionLost(why))
        }
    }

    public func ready(_ events: PollEvents, buffer: inout [UInt8]) -> Bool {
        var turn = 0
        while turn < Self.readTurn {
            let n: Int
            do {
                guard let got = try conn.readAvailable(into: &buffer) else { return true }
                n = got
            } catch {
                fail(all: "\(error)")
                return false
            }
            if n == 0 {
                fail(all: "the server closed the connection")
                return false
            }
            turn += n
            codec.append(buffer[0..<n])
            while true {
                do {
                    guard let (id, outcome) = try codec.next() else { break }
                    let call = lock.withLock { pending.removeValue(forKey: id) }
                    call?.continuation.resume(with: outcome.mapError { $0 as any Error })
                } catch {
                    fail(all: error.why)
                    return false
                }
            }
            if n < buffer.count { return true }
        }
        return true  // more may be waiting: the poller comes back after it has seen to the deadlines
    }
}
