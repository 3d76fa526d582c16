import Foundation
import LabKit
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket. It serves connections in either connection model (`ConnectionModel`):
/// a Thread per connection with blocking calls, as the lecture's server gives each connection a
/// goroutine (`go rpcs.ServeConn(conn)`), or a task per connection whose calls suspend.
public final class TCPListener: @unchecked Sendable {
    private let descriptor: SocketDescriptor
    /// The listening socket's descriptor: its own until `close`, another socket's after.
    public var fd: Int32 { descriptor.fd }
    public let host: String
    public let port: Int
    private let lock = NSLock()
    private var async: AsyncSocket?  // the listening socket as the tasks model watches it
    private var closed = false

    /// Listens on `host:port`; port 0 picks a free port (read it from `port`).
    public init(host: String = "127.0.0.1", port: Int = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NetError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            Glibc.close(fd)
            throw NetError(.system, "'\(host)' is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 4096) == 0 else {
            let e = NetError("listen on \(host):\(port)")
            Glibc.close(fd)
            throw e
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        descriptor = SocketDescriptor(fd)
        self.host = host
        self.port = Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Serves every connection with `server`, in `model`, until the listener is closed; the
    /// tasks model on `loops` pollers.
    public func serve(_ server: some ConnectionServer, model: ConnectionModel, loops: Int = 1) {
        switch model {
        case .threads: serve { conn in server.serve(conn) }
        case .tasks: serveTasks(loops: loops) { conn in await server.serve(conn) }
        }
    }

    /// The threads model: accepts connections until the listener is closed, each handled on a new Thread.
    public func serve(_ handle: @escaping @Sendable (TCPConnection) -> Void) {
        Thread.start(named: "accept") { [self] in
            while let conn = try? accept() {
                // No thread to be had (the process is at its limit): refuse the connection at
                // once rather than leave its client waiting for ever.
                if !Thread.start(named: "connection", stackSize: 512 << 10, { handle(conn) }) { conn.close() }
            }
        }
    }

    /// The next connection, blocking until one arrives; throws once the listener is closed.
    public func accept() throws -> TCPConnection {
        while true {
            let (c, e) = try descriptor.use { fd in (Glibc.accept(fd, nil, nil), errno) }
            if c >= 0 { return TCPConnection(fd: c) }
            if e == EINVAL || e == EBADF { throw NetError(.closed, "closed") }  // shut down by `close`
            guard Self.isPassing(e) else { throw NetError("accept", errno: e) }
            if Self.isShortage(e) { usleep(1000) }
        }
    }

    /// The tasks model: accepts connections in a task that suspends while none is waiting (the
    /// poller watches the listening socket), and serves each in a task of its own. The tasks run
    /// on the poller's thread (it is a `TaskExecutor`), as an event loop runs its handlers: the
    /// thread that learns a socket is ready resumes the task waiting for it, with no switch to
    /// another thread. (On the cooperative pool instead, each resumption is a hand-over between
    /// threads: 35,000 calls/s against 50,000 in `make bench`.) So nothing these tasks run may
    /// block: a blocking call stops every connection, where a suspending one stops none.
    ///
    /// With `loops` above 1, the connections are dealt out to that many pollers in turn, each an
    /// event loop on a thread of its own (on two cores, the second core serves connections too,
    /// as Go's scheduler runs goroutines on every core); each connection stays on its own.
    public func serveTasks(loops: Int = 1, _ handle: @escaping @Sendable (AsyncSocket) async -> Void) {
        // Watched while the descriptor is still this listener's, and never after `close`.
        let watched = try? descriptor.use { fd -> AsyncSocket? in
            let listening = AsyncSocket(fd: fd, owned: false)
            let open = lock.withLock { () -> Bool in
                if closed { return false }
                async = listening
                return true
            }
            if open { return listening }
            listening.close()
            return nil
        }
        guard let listening = watched ?? nil else { return }
        let pollers = Poller.group(max(loops, 1))
        Task(executorPreference: Poller.shared) {
            var pause = Duration.milliseconds(1)
            var next = 0
            while true {
                do {
                    let poller = pollers[next % pollers.count]
                    next &+= 1
                    let conn = try await listening.accept(onto: poller)
                    pause = .milliseconds(1)
                    Task(executorPreference: poller) { await handle(conn) }
                } catch let e as NetError where e.kind == .system {
                    // Out of descriptors, for now: wait longer each time, as Go's http server does.
                    // Not with `Task.sleep`: libdispatch's timers need descriptors of their own,
                    // and without them the sleep never ends (or, on a first use, traps).
                    try? await LatencyTimer.shared.sleep(for: pause)
                    pause = min(pause * 2, .milliseconds(100))
                } catch {
                    return  // closed
                }
            }
        }
    }

    /// Errors after which `accept` may succeed again: a connection that went away before it was
    /// accepted (with the network errors Linux passes on from it, which accept(2) says to retry),
    /// or a shortage of descriptors or memory for a moment.
    static func isPassing(_ e: Int32) -> Bool {
        [EINTR, ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, ENONET, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH, EPERM]
            .contains(e) || isShortage(e)
    }

    static func isShortage(_ e: Int32) -> Bool { [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(e) }

    public func close() {
        lock.withLock { () -> AsyncSocket? in
            closed = true
            return async
        }?.close()
        descriptor.close()  // wakes a blocked accept
    }
}
