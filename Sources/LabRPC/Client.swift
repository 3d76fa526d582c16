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
/// `rpc.Client` does: each call has an id, and replies are matched to calls by it. Every client's
/// socket is watched by one shared thread (`Poller`, Go's netpoller), which hands each reply to
/// its call and times out calls that waited too long.
public final class RPCClient: PollWatcher, @unchecked Sendable {
    private let conn: TCPConnection
    private let lock = NSLock()  // guards everything below, and the order of writes
    private var nextID: UInt64 = 0
    private var pending: [UInt64: Pending] = [:]
    private var earliest: UInt64 = .max  // no call is due before this (it may be early: then none is)
    private var lost: String?
    private var token: UInt64 = 0
    private var framer = JSONFramer(limit: 64 << 20)  // the poller's thread only

    /// A call waiting for its reply.
    private struct Pending {
        var continuation: CheckedContinuation<[UInt8], any Error>
        var deadline: UInt64
        var method: String
        var timeout: Duration
    }

    /// The thread that reads every client's replies, as a `TaskExecutor`. A task that makes its
    /// calls there (`group.addTask(executorPreference: RPCClient.executor)`) is resumed by its reply
    /// on that thread, without a switch to the cooperative pool; keep such tasks' own work short.
    public static var executor: any TaskExecutor { Poller.shared }
    private var poller: Poller { Poller.shared }

    /// Dials `host:port`.
    public init(host: String, port: Int, dialTimeout: Duration = .seconds(5)) throws {
        do {
            conn = try TCPConnection.connect(host: host, port: port, timeout: dialTimeout)
        } catch {
            throw RPCError.connectionLost("\(error)")
        }
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
        let params = try GoJSON.encode(args)
        let data: [UInt8] = try await withCheckedThrowingContinuation { c in
            lock.lock()
            if let why = lost {
                lock.unlock()
                return c.resume(throwing: RPCError.connectionLost(why))
            }
            let id = nextID
            nextID += 1
            let deadline = Deadline.after(timeout)
            pending[id] = Pending(continuation: c, deadline: deadline, method: method, timeout: timeout)
            if deadline < earliest {
                earliest = deadline
                poller.due(token, at: deadline)
            }
            let request = RPCServer.request(method, params, id: id)
            do {
                try conn.write(request)
                lock.unlock()
            } catch {
                pending[id] = nil
                lock.unlock()
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

    func expire(now: UInt64) -> UInt64 {
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

    func readable(into buffer: inout [UInt8]) -> Bool {
        while true {
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
            framer.append(buffer[0..<n])
            while let frame = framer.next() {
                guard deliver(frame) else { return false }
            }
            if n < buffer.count { return true }
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
        if let e = fields["error"], let error = JSONScan.string(bytes, e) {
            call?.continuation.resume(throwing: RPCError.server(error))
        } else {
            call?.continuation.resume(returning: Array(bytes[fields["result"] ?? idRange]))
        }
        return true
    }
}
