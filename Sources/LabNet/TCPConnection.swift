import Foundation
import LabKit
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection with blocking reads and writes, as the lecture's Go code sees its sockets.
/// (Go's runtime turns those blocking calls into non-blocking ones under the hood; here a blocked
/// call really blocks its thread, which is why each connection gets a Thread of its own.
/// `AsyncSocket` is the other way: calls that suspend a task instead.)
public final class TCPConnection: @unchecked Sendable {
    private let descriptor: SocketDescriptor
    /// The socket's descriptor: its own until `close`, another socket's after.
    public var fd: Int32 { descriptor.fd }

    public init(fd: Int32) {
        descriptor = SocketDescriptor(fd)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close() }

    /// Connects to `host:port`, giving up after `timeout`.
    public static func connect(host: String, port: Int, timeout: Duration = .seconds(5)) throws -> TCPConnection {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else {
            throw NetError(.system, "cannot resolve \(host)")
        }
        defer { freeaddrinfo(res) }
        let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, 0)
        guard fd >= 0 else { throw NetError("socket") }
        let c = TCPConnection(fd: fd)
        c.setTimeout(SO_SNDTIMEO, timeout)  // bounds connect() too, on Linux
        guard Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            throw NetError("connect to \(host):\(port)")
        }
        c.setTimeout(SO_SNDTIMEO, .zero)
        return c
    }

    /// Reads what is available (blocking until something is); 0 means the peer closed.
    public func read(into buffer: inout [UInt8]) throws -> Int {
        try descriptor.use { fd in
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n >= 0 { return n }
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw NetError(.timedOut, "read timed out") }
                throw NetError("read")
            }
        }
    }

    /// Reads what is there without waiting: nil when nothing is, 0 when the peer closed.
    public func readAvailable(into buffer: inout [UInt8]) throws -> Int? {
        try descriptor.use { fd in
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if n >= 0 { return n }
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
                throw NetError("read")
            }
        }
    }

    /// Writes every byte (MSG_NOSIGNAL: a closed peer is an error here, not a SIGPIPE that kills
    /// us). With a `deadline` (a `Deadline`), gives up when the peer has not taken every byte by
    /// then, however it takes them: a peer that reads a sliver now and then cannot hold the
    /// writer for longer, as it can against a socket timeout, which each sliver starts again.
    public func write(_ bytes: [UInt8], deadline: UInt64? = nil) throws {
        try descriptor.use { fd in try write(bytes, to: fd, deadline: deadline) }
    }

    private func write(_ bytes: [UInt8], to fd: Int32, deadline: UInt64?) throws {
        var sent = 0
        while sent < bytes.count {
            let flags = Int32(MSG_NOSIGNAL) | (deadline == nil ? 0 : Int32(MSG_DONTWAIT))
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, flags) }
            if n >= 0 {
                sent += n
                continue
            }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { throw NetError("write") }
            guard let deadline else { throw NetError(.timedOut, "write timed out") }
            let now = Deadline.now()
            guard now < deadline else { throw NetError(.timedOut, "write timed out: the peer took nothing for too long") }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&p, 1, Int32(min((deadline - now) / 1_000_000 + 1, 60_000)))  // until writable, or the deadline
        }
    }

    /// A read that waits longer than `timeout` fails (zero: wait for ever).
    public func setReadTimeout(_ timeout: Duration) { setTimeout(SO_RCVTIMEO, timeout) }

    private func setTimeout(_ option: Int32, _ d: Duration) {
        let (s, atto) = d.components
        var tv = timeval(tv_sec: Int(s), tv_usec: Int(atto / 1_000_000_000_000))
        _ = try? descriptor.use { setsockopt($0, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size)) }
    }

    /// Ends the connection with a reset: what is still waiting to be sent is dropped, and the
    /// peer learns at once. For a peer that does not read what it asked for.
    public func reset() {
        descriptor.close { fd in
            var now = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &now, socklen_t(MemoryLayout<linger>.size))
        }
    }

    /// Shuts the connection down for both sides; a thread blocked reading it wakes with EOF, and
    /// later calls fail (see `SocketDescriptor`).
    public func close() { descriptor.close() }
}

