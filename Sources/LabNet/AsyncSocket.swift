import Foundation
import LabKit
#if canImport(Glibc)
import Glibc
#endif

/// A socket whose calls read like blocking ones but suspend the calling task instead of blocking
/// its thread: Go's netpoller, in Swift. The socket is non-blocking; a call that would block
/// registers its continuation and returns the thread to the pool, and the `Poller` resumes it when
/// `epoll` says the socket is ready. A thousand idle connections cost a thousand suspended tasks
/// and no thread.
///
/// Every system call on the descriptor is made under `lock` and never blocks, so a socket closed
/// meanwhile is never touched under a number the kernel has since given to another.
public final class AsyncSocket: PollWatcher, @unchecked Sendable {  // unchecked: `lock` guards the fields below it
    public let fd: Int32
    private let owned: Bool  // whether `close` closes the descriptor (a listener's is its owner's)
    private let lock = NSLock()
    private var token: UInt64 = 0
    private var closed = false
    // Edge-triggered readiness: set by the poller, cleared when a call finds nothing to do.
    private var readable = true
    private var writable = true
    private var reader: CheckedContinuation<Void, any Error>?
    private var writer: CheckedContinuation<Void, any Error>?
    private var writeDeadline: UInt64 = .max
    // Replies queued by tasks that found another one writing (`send`).
    private var outbox: [[UInt8]] = []
    private var sending = false

    /// How long a write may wait for a peer that reads nothing before the connection is given up.
    public static let writeTimeout = Duration.seconds(10)
    /// This socket's: `writeTimeout` unless its owner says otherwise.
    public var writeTimeout: Duration {
        get { lock.withLock { timeout } }
        set { lock.withLock { timeout = newValue } }
    }
    private var timeout = AsyncSocket.writeTimeout

    /// The poller that watches it, and on whose thread its tasks run in the tasks model.
    public let poller: Poller

    /// Takes `fd` (a connected or listening socket) into non-blocking mode and onto `poller`.
    public init(fd: Int32, owned: Bool = true, poller: Poller = .shared) {
        self.fd = fd
        self.owned = owned
        self.poller = poller
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let token = poller.watch(fd, self, edge: true)
        lock.withLock { self.token = token }
    }

    deinit { close() }

    /// The most one `read` hands over.
    public static let readSize = 64 << 10

    /// Reads what has arrived, suspending until something has, and hands it to `body` (the bytes
    /// are valid during the call only). Returns how many bytes: 0 at the end of the stream, and
    /// `readSize` when more may be waiting (a caller that reads on should let other tasks run
    /// now and then: on the poller's thread, a connection that always has data would otherwise
    /// keep every other one waiting).
    public func read(_ body: (UnsafeRawBufferPointer) throws -> Void) async throws -> Int {
        while true {
            let n = try receive(body)
            if n >= 0 { return n }
            try await waitUntilReadable()
        }
    }

    /// One non-blocking `recv` into a buffer on the thread's stack, handed to `body`: the bytes
    /// read, 0 at the end of the stream, -1 when nothing is there. Not `async`, and never inlined
    /// into the caller: in an `async` function the buffer would come from the task's own
    /// allocator, which keeps it for as long as the task lives (64 KB for every idle connection).
    @inline(never)
    private func receive(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try withUnsafeTemporaryAllocation(byteCount: Self.readSize, alignment: 16) { buffer in
            let n = try lock.withLock { () -> Int in
                guard !closed else { throw NetError(.closed, "closed") }
                while true {
                    let n = recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT))
                    if n >= 0 { return n }
                    if errno == EINTR { continue }
                    if errno == EAGAIN || errno == EWOULDBLOCK { readable = false; return -1 }
                    throw NetError("read")
                }
            }
            if n > 0 { try body(UnsafeRawBufferPointer(rebasing: buffer[..<n])) }
            return n
        }
    }

    /// Accepts a connection on a listening socket, suspending until one arrives.
    /// The next connection, watched by `poller`.
    public func accept(onto poller: Poller = .shared) async throws -> AsyncSocket {
        while true {
            let c = try lock.withLock { () -> Int32 in
                guard !closed else { throw NetError(.closed, "closed") }
                while true {
                    let c = Glibc.accept(fd, nil, nil)
                    if c >= 0 { return c }
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    if errno == EAGAIN || errno == EWOULDBLOCK { readable = false; return -1 }
                    throw NetError("accept")
                }
            }
            if c >= 0 { return AsyncSocket(fd: c, poller: poller) }
            try await waitUntilReadable()
        }
    }

    /// Writes every byte, suspending while the peer's window is full; gives up (and closes the
    /// socket) when the peer has not taken every byte within `writeTimeout`, however it takes
    /// them (a sliver now and then does not start the time again).
    public func write(_ bytes: [UInt8]) async throws {
        let deadline = Deadline.after(writeTimeout)
        var sent = 0
        while sent < bytes.count {
            let n = try lock.withLock { () -> Int in
                guard !closed else { throw NetError(.closed, "closed") }
                while true {
                    let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                    if n >= 0 { return n }
                    if errno == EINTR { continue }
                    if errno == EAGAIN || errno == EWOULDBLOCK { writable = false; return -1 }
                    throw NetError("write")
                }
            }
            if n >= 0 {
                sent += n
                continue
            }
            do {
                try await waitUntilWritable(deadline: deadline)
            } catch {
                reset()  // what is still queued for this peer would reach it no sooner
                throw error
            }
        }
    }

    /// Writes `bytes` whole, after what other tasks queued before it, without two tasks' bytes
    /// ever mixing: the task that finds nobody writing writes the queue out, the others leave
    /// their bytes in it and go on. A failure closes the socket. False once the socket is closed:
    /// whatever the caller meant to answer next, nobody will read it.
    @discardableResult
    public func send(_ bytes: [UInt8]) async -> Bool {
        await send(rendering: { bytes })
    }

    /// Like `send(_:)`, with the bytes made by `render` when they take their place in the queue,
    /// under the queue's lock: for a stream whose bytes depend on what went before (gob numbers
    /// its types as they are first sent).
    @discardableResult
    public func send(rendering render: () -> [UInt8]) async -> Bool {
        let first = lock.withLock { () -> Bool? in
            if closed { return nil }
            outbox.append(render())
            if sending { return false }
            sending = true
            return true
        }
        guard let first else { return false }
        guard first else { return true }
        while true {
            let next = lock.withLock { () -> [UInt8]? in
                guard !outbox.isEmpty, !closed else {
                    outbox.removeAll()
                    sending = false
                    return nil
                }
                defer { outbox.removeAll(keepingCapacity: true) }
                return outbox.count == 1 ? outbox[0] : Array(outbox.joined())
            }
            guard let next else { return lock.withLock { !closed } }
            do { try await write(next) } catch { close() }
        }
    }

    private func waitUntilReadable() async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            lock.lock()
            if closed {
                lock.unlock()
                return c.resume(throwing: NetError(.closed, "closed"))
            }
            if readable {  // the poller saw data after our read found none
                lock.unlock()
                return c.resume()
            }
            reader = c
            lock.unlock()
        }
    }

    private func waitUntilWritable(deadline: UInt64) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            lock.lock()
            if closed {
                lock.unlock()
                return c.resume(throwing: NetError(.closed, "closed"))
            }
            if writable {
                lock.unlock()
                return c.resume()
            }
            writer = c
            writeDeadline = deadline
            let token = self.token
            lock.unlock()
            poller.due(token, at: deadline)
        }
    }

    public func ready(_ events: PollEvents, buffer: inout [UInt8]) -> Bool {
        let (r, w) = lock.withLock { () -> (CheckedContinuation<Void, any Error>?, CheckedContinuation<Void, any Error>?) in
            var r: CheckedContinuation<Void, any Error>?, w: CheckedContinuation<Void, any Error>?
            if events.contains(.readable) {
                readable = true
                swap(&r, &reader)
            }
            if events.contains(.writable) {
                writable = true
                swap(&w, &writer)
                writeDeadline = .max
            }
            return (r, w)
        }
        r?.resume()
        w?.resume()
        return true
    }

    public func expire(now: UInt64) -> UInt64 {
        let w = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            guard writeDeadline <= now else { return nil }
            writeDeadline = .max
            defer { writer = nil }
            return writer
        }
        w?.resume(throwing: NetError(.timedOut, "write timed out: the peer did not read in time"))
        return lock.withLock { writer == nil ? .max : writeDeadline }
    }

    /// Closes the socket with a reset: what is still waiting to be sent is dropped, and the peer
    /// learns at once.
    public func reset() {
        lock.withLock {
            guard !closed, owned else { return }
            var now = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &now, socklen_t(MemoryLayout<linger>.size))
        }
        close()
    }

    /// Closes the socket; tasks waiting on it fail with `.closed`.
    public func close() {
        let (r, w, token) = lock.withLock { () -> (CheckedContinuation<Void, any Error>?, CheckedContinuation<Void, any Error>?, UInt64?) in
            guard !closed else { return (nil, nil, nil) }
            closed = true
            defer { reader = nil; writer = nil }
            return (reader, writer, self.token)
        }
        guard let token else { return }
        poller.unwatch(token)
        lock.withLock {
            if owned {
                shutdown(fd, Int32(SHUT_RDWR))
                Glibc.close(fd)
            }
        }
        r?.resume(throwing: NetError(.closed, "closed"))
        w?.resume(throwing: NetError(.closed, "closed"))
    }
}
