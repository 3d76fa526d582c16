import Foundation
import LabKit

/// Go's `go` statement for Threads: `ThreadPool.shared.go { ... }` runs the closure on a thread of
/// its own at once, as Go runs a function on a new goroutine. A thread that finished its work
/// waits a while for more instead of ending, because starting a thread costs tens of
/// microseconds, where a goroutine costs about one: the server's threads model starts one per
/// request. Threads may block (that is what they are for); the pool grows to as many as are busy,
/// up to `limit`, after which work waits for a thread to come free.
public final class ThreadPool: @unchecked Sendable {  // unchecked: `lock` guards the fields below it
    public static let shared = ThreadPool(limit: 4096)

    /// One thread of the pool, and the work handed to it.
    private final class Worker: @unchecked Sendable {  // unchecked: `cond` guards `job`
        let cond = NSCondition()
        var job: (@Sendable () -> Void)?
    }

    public let limit: Int
    /// How long an idle thread waits for work before it ends.
    public let idleTime: TimeInterval
    private let lock = NSLock()
    private var idle: [Worker] = []
    private var queued: [@Sendable () -> Void] = []
    private var threads = 0

    public init(limit: Int, idleTime: TimeInterval = 10) {
        self.limit = limit
        self.idleTime = idleTime
    }

    /// Runs `job` on an idle thread, or a new one, or (at the limit) the next that comes free.
    public func go(_ job: @escaping @Sendable () -> Void) {
        lock.lock()
        if let w = idle.popLast() {
            lock.unlock()
            w.cond.lock()
            w.job = job
            w.cond.signal()
            w.cond.unlock()
            return
        }
        guard threads < limit else {
            queued.append(job)
            lock.unlock()
            return
        }
        threads += 1
        lock.unlock()
        let w = Worker()
        w.job = job
        guard Thread.start(named: "pool", stackSize: 512 << 10, { [self] in work(w) }) else {
            // No thread to be had: the job waits for one of the pool's threads to come free.
            lock.withLock {
                threads -= 1
                queued.append(job)
            }
            return
        }
    }

    private func work(_ w: Worker) {
        while true {
            w.cond.lock()
            let job = w.job
            w.job = nil
            w.cond.unlock()
            job?()
            // Work that waited for a thread comes first; then wait, idle, for more.
            lock.lock()
            if !queued.isEmpty {
                let next = queued.removeFirst()
                lock.unlock()
                w.cond.withLock { w.job = next }  // no one else sees `w` now: it is in no list
                continue
            }
            idle.append(w)
            lock.unlock()
            w.cond.lock()
            let deadline = Date(timeIntervalSinceNow: idleTime)
            while w.job == nil, w.cond.wait(until: deadline) {}
            if w.job != nil {
                w.cond.unlock()
                continue
            }
            w.cond.unlock()
            // Timed out: leave, unless `go` took this worker from the list meanwhile (then its
            // job is on the way, and the thread must wait for it).
            lock.lock()
            if let i = idle.firstIndex(where: { $0 === w }) {
                idle.remove(at: i)
                threads -= 1
                lock.unlock()
                return
            }
            lock.unlock()
            w.cond.lock()
            while w.job == nil { w.cond.wait() }
            w.cond.unlock()
        }
    }
}
