import Foundation
import LabKit
import LabNet

// How RPCServer serves one connection, in each connection model. Both read like Go's
// `ServeCodec`: read a request, start it on its own (`go service.call(...)`), read the next; each
// reply is written whole, under the connection's lock, when its call is done.

extension RPCServer {
    /// The threads model: this Thread reads the connection, blocking, and each call runs on a
    /// thread of the pool (`ThreadPool.go`, Go's `go`).
    public func serve(_ conn: TCPConnection) {
        let calls = BlockingCalls(conn)
        defer {
            calls.waitForAll()  // Go: wg.Wait(), then close
            conn.close()
        }
        conn.setWriteTimeout(AsyncSocket.writeTimeout)  // a peer that reads nothing does not hold threads for ever
        var framer = JSONFramer(limit: maxMessageBytes)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            while let frame = framer.next() {
                switch request(frame) {
                case .answer(let reply, let closing):
                    guard calls.write(reply), !closing else { return }
                case .call(let handler, let bytes, let params, let id):
                    guard calls.begin() else { return }
                    ThreadPool.shared.go {
                        calls.end(writing: Self.runBlocking(handler, bytes, params, id: id))
                    }
                }
            }
            guard let n = try? conn.read(into: &buffer), n > 0 else { return }
            framer.append(buffer[0..<n])
        }
    }

    /// The tasks model: this task reads the connection, suspending, and each call runs in a
    /// child task (Go's `go`, one more goroutine), which leaves its reply to `send`.
    public func serve(_ conn: AsyncSocket) async {
        let calls = AsyncCalls()
        await withDiscardingTaskGroup { group in
            var framer = JSONFramer(limit: maxMessageBytes)
            reading: while true {
                while let frame = framer.next() {
                    switch request(frame) {
                    case .answer(let reply, let closing):
                        await conn.send(reply)
                        if closing { break reading }
                    case .call(let handler, let bytes, let params, let id):
                        await calls.begin()
                        group.addTask {
                            await conn.send(await Self.run(handler, bytes, params, id: id))
                            calls.end()
                        }
                    }
                }
                guard (try? await conn.read({ framer.append($0) })) == true else { break }
            }
        }
        conn.close()
    }
}

/// The calls of one connection in the threads model: how many are running, and the lock that
/// keeps their replies whole.
final class BlockingCalls: @unchecked Sendable {  // unchecked: `cond` guards `running` and the writes
    private let conn: TCPConnection
    private let cond = NSCondition()
    private var running = 0
    private var failed = false

    init(_ conn: TCPConnection) { self.conn = conn }

    /// A call starts; waits while the connection has its fill running. False once writing failed.
    func begin() -> Bool {
        cond.withLock {
            while running >= RPCServer.maxCallsPerConnection, !failed { cond.wait() }
            running += 1
            return !failed
        }
    }

    /// A call ends with `reply`.
    func end(writing reply: [UInt8]) {
        _ = write(reply)
        cond.withLock {
            running -= 1
            cond.broadcast()
        }
    }

    /// Writes one reply whole; false (and the connection shut, which wakes its reader) on failure.
    func write(_ reply: [UInt8]) -> Bool {
        cond.withLock {
            guard !failed else { return false }
            if (try? conn.write(reply)) == nil {
                failed = true
                conn.close()
            }
            return !failed
        }
    }

    func waitForAll() {
        cond.withLock { while running > 0 { cond.wait() } }
    }
}

/// The calls of one connection in the tasks model: the reader suspends while the connection has
/// its fill running.
final class AsyncCalls: @unchecked Sendable {  // unchecked: `lock` guards the fields
    private let lock = NSLock()
    private var running = 0
    private var reader: CheckedContinuation<Void, Never>?

    func begin() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if running < RPCServer.maxCallsPerConnection {
                running += 1
                lock.unlock()
                return c.resume()
            }
            reader = c
            lock.unlock()
        }
    }

    func end() {
        let r = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            defer { reader = nil }
            if reader == nil { running -= 1 }  // else its place passes to the waiting reader
            return reader
        }
        r?.resume()
    }
}
