import Foundation
import LabKit
import LabSys

/// What `epoll` reported of a socket.
public struct PollEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Data, or the end of the stream, or an error: a read will not block.
    public static let readable = PollEvents(rawValue: UInt32(LAB_POLL_READABLE))
    /// Room in the send buffer, or an error: a write will not block.
    public static let writable = PollEvents(rawValue: UInt32(LAB_POLL_WRITABLE))
}

/// Something the poller watches: a socket that became ready, and waits that time out.
/// Both methods run on the poller's thread, one at a time, and must not block.
public protocol PollWatcher: AnyObject, Sendable {
    /// The socket is ready for what `events` says. Do what can be done without blocking, using
    /// `buffer` if it helps; return false to be watched no more.
    func ready(_ events: PollEvents, buffer: inout [UInt8]) -> Bool
    /// A deadline given to `Poller.due` has passed: time out what is due, and return the next
    /// deadline (`.max`: none).
    func expire(now: UInt64) -> UInt64
}

/// One thread that waits on many sockets at once with `epoll`, as Go's netpoller does, and that
/// can also run tasks (it is a `TaskExecutor`), as each of Go's scheduler threads polls the
/// network when it has no goroutine to run.
///
/// The tasks connection model is built on it: it resumes a task whose socket became readable or
/// writable, and runs the connections' tasks itself. The RPC clients share it to read replies (a
/// burst of replies wakes one thread once, instead of a reader thread per connection) and to keep
/// their calls' deadlines, so a call costs no timer and no thread of its own.
public final class Poller: TaskExecutor, @unchecked Sendable {  // unchecked: `lock` guards the fields below it
    public static let shared = Poller(name: "poller")

    /// `n` pollers, the shared one first: event loops for the tasks model, one per core when
    /// `n` is the number of cores. Made once and kept.
    public static func group(_ n: Int) -> [Poller] {
        groupLock.withLock {
            while more.count < n - 1 { more.append(Poller(name: "poller \(more.count + 2)")) }
            return [shared] + more.prefix(max(n - 1, 0))
        }
    }
    private static let groupLock = NSLock()
    nonisolated(unsafe) private static var more: [Poller] = []

    private struct Watch {
        weak var watcher: (any PollWatcher)?
        var fd: Int32
    }
    private let epfd: Int32
    private let wakeFD: Int32  // an eventfd, token 0: a job, or a deadline earlier than the wait's
    private let lock = NSLock()
    private var watchers: [UInt64: Watch] = [:]
    /// The watchers that have something due, and when: only those, so that a wait costs nothing
    /// per idle socket (ten thousand idle connections have no deadline).
    private var deadlines: [UInt64: UInt64] = [:]
    private var nextToken: UInt64 = 1
    private var wakeAt: UInt64 = .max
    private var jobs: [UnownedJob] = []
    private var waiting = false  // in epoll_wait, or about to be: a new job must signal `wakeFD`
    private var thread: pthread_t?  // the poller's own, once it runs

    private init(name: String) {
        epfd = lab_epoll_create()
        wakeFD = lab_eventfd()
        precondition(epfd >= 0 && wakeFD >= 0 && lab_epoll_add(epfd, wakeFD, 0, 0) == 0, "epoll: \(String(cString: strerror(errno)))")
        Thread.start(named: name) { [self] in run() }
    }

    /// Watches `fd` for `watcher`, which the poller holds weakly; returns the token for `unwatch`.
    /// `edge`: report each change once (readable or writable) instead of input for as long as
    /// it waits.
    public func watch(_ fd: Int32, _ watcher: any PollWatcher, edge: Bool = false) -> UInt64 {
        lock.withLock {
            defer { nextToken += 1 }
            watchers[nextToken] = Watch(watcher: watcher, fd: fd)
            lab_epoll_add(epfd, fd, nextToken, edge ? 1 : 0)
            return nextToken
        }
    }

    /// Stops watching; call it before closing the socket. The socket leaves the epoll set under
    /// the lock, only if still watched, so a number the kernel has since reused is never touched.
    public func unwatch(_ token: UInt64) {
        lock.withLock {
            if let w = watchers.removeValue(forKey: token) { lab_epoll_remove(epfd, w.fd) }
            deadlines[token] = nil
        }
    }

    /// The watcher has something due at `deadline` (a `Deadline`), earlier than anything it had:
    /// the poller wakes then and calls its `expire`.
    public func due(_ token: UInt64, at deadline: UInt64) {
        let wake = lock.withLock { () -> Bool in
            guard watchers[token] != nil else { return false }
            deadlines[token] = min(deadlines[token] ?? .max, deadline)
            guard deadline < wakeAt else { return false }
            wakeAt = deadline
            return waiting
        }
        if wake { lab_eventfd_signal(wakeFD) }
    }

    /// Whether the caller runs on the poller's thread (a test asks where a task was resumed).
    public var isCurrentThread: Bool { lock.withLock { thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false } }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let wake = lock.withLock { () -> Bool in
            jobs.append(job)
            defer { waiting = false }
            return waiting
        }
        if wake { lab_eventfd_signal(wakeFD) }
    }

    private func run() {
        var tokens = [UInt64](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var batch: [UnownedJob] = []
        lock.withLock { thread = pthread_self() }
        while true {
            lock.withLock { swap(&jobs, &batch) }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
            let wait = lock.withLock { () -> Int32 in
                wakeAt = deadlines.values.min() ?? .max
                if !jobs.isEmpty { return 0 }
                waiting = true
                if wakeAt == .max { return -1 }
                let now = Deadline.now()
                return wakeAt <= now ? 0 : Int32(min((wakeAt - now + 999_999) / 1_000_000, 60_000))
            }
            let n = tokens.withUnsafeMutableBufferPointer { t in
                events.withUnsafeMutableBufferPointer { e in lab_epoll_wait(epfd, t.baseAddress, e.baseAddress, Int32(t.count), wait) }
            }
            lock.withLock { waiting = false }
            for k in 0..<max(0, Int(n)) {
                let token = tokens[k]
                if token == 0 {
                    lab_eventfd_drain(wakeFD)
                    continue
                }
                // A closed socket stays readable (end of stream), and so does one whose owner is
                // going away: it must leave the epoll set, or every wait would return at once.
                guard let w = lock.withLock({ watchers[token]?.watcher }) else {
                    unwatch(token)
                    continue
                }
                if !w.ready(PollEvents(rawValue: events[k]), buffer: &buffer) { unwatch(token) }
            }
            let now = Deadline.now()
            guard lock.withLock({ now >= wakeAt }) else { continue }
            // Each due watcher's deadline is cleared first, so that one `due` sent while it
            // expires calls is kept: the deadline becomes the earlier of the two.
            let due = lock.withLock { () -> [(UInt64, any PollWatcher)] in
                var due: [(UInt64, any PollWatcher)] = []
                for (token, deadline) in deadlines where deadline <= now {
                    deadlines[token] = nil
                    if let watcher = watchers[token]?.watcher { due.append((token, watcher)) }
                }
                return due
            }
            for (token, w) in due {
                let next = w.expire(now: now)
                lock.withLock {
                    if watchers[token] != nil, next != .max { deadlines[token] = min(deadlines[token] ?? .max, next) }
                }
            }
        }
    }
}
