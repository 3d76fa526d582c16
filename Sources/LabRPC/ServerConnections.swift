import Foundation
import LabKit
import LabNet

// How RPCServer serves one connection, in each connection model. Both read like Go's
// `ServeCodec`: read a request, start it on its own (`go service.call(...)`), read the next; each
// reply is written whole, under the connection's lock, when its call is done.

extension RPCServer {
    /// The threads model: this Thread reads the connection, blocking. A call that arrives alone
    /// runs right here, the way the lecture's server runs it, which costs no thread switch; if it
    /// runs longer than a millisecond, the `StallMonitor` (Go's sysmon) starts another thread that
    /// reads on, so no call waits behind a slow one. Calls that arrive together each get a thread
    /// of the pool (`ThreadPool.go`, Go's `go`).
    public func serve(_ conn: TCPConnection) {
        read(ConnectionReader(conn, server: self))
    }

    /// Reads `r`'s connection for as long as this thread is its reader.
    func read(_ r: ConnectionReader) {
        while true {
            var held: ServerRequest?
            while let request = r.codec.next() {
                if let earlier = held {  // not the last one: it runs on a thread of its own
                    guard start(earlier, r) else { return r.finish() }
                }
                held = request
            }
            if let last = held {
                switch last {
                case .close: return r.finish()
                case .answer(let reply, let closing):
                    guard r.calls.answer(reply), !closing else { return r.finish() }
                case .call(let call):
                    guard r.calls.begin() else { return r.finish() }
                    let ticket = StallMonitor.shared.begin(r)
                    let reply = call.runBlocking()
                    let stalled = StallMonitor.shared.end(ticket)
                    let open = r.calls.end(writing: reply)
                    if stalled { return }  // another thread reads the connection now
                    guard open else { return r.finish() }
                }
                continue
            }
            guard let n = try? r.conn.read(into: &r.buffer), n > 0 else { return r.finish() }
            r.codec.append(r.buffer[0..<n])
        }
    }

    /// Starts one request on a thread of the pool; false when the connection is done for.
    private func start(_ request: ServerRequest, _ r: ConnectionReader) -> Bool {
        switch request {
        case .close: return false
        case .answer(let reply, let closing):
            return r.calls.answer(reply) && !closing
        case .call(let call):
            guard r.calls.begin() else { return false }
            ThreadPool.shared.go { r.calls.end(writing: call.runBlocking()) }
            return true
        }
    }

    /// The tasks model: this task reads the connection, suspending, and each call runs in a
    /// child task (Go's `go`, one more goroutine), which leaves its reply to `send`. All of them
    /// run on the poller's thread (see `TCPListener.serveTasks`): a handler must not block here.
    public func serve(_ conn: AsyncSocket) async {
        conn.writeTimeout = writeTimeout
        let calls = AsyncCalls()
        let codec = codec()
        let replies = ReplyEncoder()
        await withDiscardingTaskGroup { group in
            var ranInPlace = 0
            reading: while true {
                while let request = codec.next() {
                    switch request {
                    case .close: break reading
                    case .answer(let reply, let closing):
                        guard await conn.send(rendering: { replies.bytes(reply) }), !closing else { break reading }
                    case .call(let call) where !call.suspends:
                        // A handler that cannot suspend runs to its end wherever it runs: on the
                        // poller's one thread, a child task would change nothing but its cost.
                        let reply = call.runBlocking()
                        guard await conn.send(rendering: { replies.bytes(reply) }) else { break reading }
                        ranInPlace += 1
                        if ranInPlace % 64 == 0 { await Task.yield() }  // the other connections' turn
                    case .call(let call):
                        await calls.begin()
                        group.addTask {  // on the connection's executor, the poller's thread
                            let reply = await call.run()
                            await conn.send(rendering: { replies.bytes(reply) })
                            calls.end()
                        }
                    }
                }
                guard let n = try? await conn.read({ codec.append($0) }), n > 0 else { break }
                if n == AsyncSocket.readSize { await Task.yield() }  // more is waiting: let the others run first
            }
        }
        conn.close()
    }
}

/// One connection in the threads model: what its reader keeps (one thread at a time is its
/// reader), and its calls.
final class ConnectionReader: Stallable, @unchecked Sendable {  // unchecked: only the reader touches codec and buffer
    let conn: TCPConnection
    let server: RPCServer
    let calls: BlockingCalls
    let codec: any ServerCodec
    var buffer = [UInt8](repeating: 0, count: 64 << 10)

    init(_ conn: TCPConnection, server: RPCServer) {
        self.conn = conn
        self.server = server
        calls = BlockingCalls(conn, writeTimeout: server.writeTimeout)
        codec = server.codec()
    }

    /// The reader is stuck in a slow call: another thread reads on.
    func takeOver() {
        ThreadPool.shared.go { [self] in server.read(self) }
    }

    /// The connection is done: its calls finish (Go: wg.Wait()), then it closes.
    func finish() {
        calls.waitForAll()
        conn.close()
    }
}

/// The calls of one connection in the threads model: how many are running, and their replies.
/// A finished call leaves its reply in the outbox; the thread that finds nobody writing writes
/// the outbox out, so a client that reads slowly holds one thread, not one per call. A call's
/// place is given back once its reply is written, so a connection holds at most
/// `maxCallsPerConnection` replies.
final class BlockingCalls: @unchecked Sendable {  // unchecked: `cond` guards the fields
    private let conn: TCPConnection
    private let cond = NSCondition()
    private var running = 0
    private var waiting = 0  // threads waiting for `running` to go down
    private var failed = false
    private var outbox: [[UInt8]] = []
    private var writing = false
    private let writeTimeout: Duration
    private let replies = ReplyEncoder()  // used under `cond` only

    init(_ conn: TCPConnection, writeTimeout: Duration) {
        self.conn = conn
        self.writeTimeout = writeTimeout
    }

    /// A call starts; waits while the connection has its fill running. False once writing has
    /// failed: the connection is done for.
    func begin() -> Bool {
        cond.withLock {
            while running >= RPCServer.maxCallsPerConnection, !failed {
                waiting += 1
                cond.wait()
                waiting -= 1
            }
            guard !failed else { return false }
            running += 1
            return true
        }
    }

    /// A call ends with `reply`. False once writing has failed.
    @discardableResult
    func end(writing reply: Outgoing) -> Bool {
        cond.lock()
        defer { cond.unlock() }
        guard !failed else {
            running -= 1
            if waiting > 0 { cond.broadcast() }
            return false
        }
        outbox.append(replies.bytes(reply))  // in the order written: gob numbers its types as it goes
        guard !writing else { return true }  // the thread writing now writes this too
        writing = true
        while !outbox.isEmpty {
            let batch = outbox
            outbox.removeAll()
            cond.unlock()
            let wrote = (try? conn.write(batch.count == 1 ? batch[0] : Array(batch.joined()), deadline: Deadline.after(writeTimeout))) != nil
            cond.lock()
            running -= batch.count
            if !wrote {
                failed = true
                running -= outbox.count
                outbox.removeAll()
                conn.reset()  // wakes the reader; what is queued would reach the peer no sooner
            }
            if waiting > 0 { cond.broadcast() }
        }
        writing = false
        return !failed
    }

    /// An answer that is not a call's (a refused request): written in turn with the replies.
    func answer(_ reply: Outgoing) -> Bool {
        begin() && end(writing: reply)
    }

    func waitForAll() {
        cond.withLock {
            while running > 0 {
                waiting += 1
                cond.wait()
                waiting -= 1
            }
        }
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
