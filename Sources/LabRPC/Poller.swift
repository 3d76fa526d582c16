import Foundation
import LabKit
import LabSys

/// Something the poller watches: a socket to read when it has data, and calls that time out.
/// Both methods run on the poller's thread, one at a time.
protocol PollWatcher: AnyObject, Sendable {
    /// The socket has data, or the peer closed it. Read what is there without blocking; return
    /// false to be watched no more.
    func readable(into buffer: inout [UInt8]) -> Bool
    /// A deadline given to `Poller.due` has passed: time out what is due, and return the next
    /// deadline (`.max`: none).
    func expire(now: UInt64) -> UInt64
}

/// One thread that waits on every client socket at once with `epoll`, as Go's netpoller does,
/// and that can also run tasks (it is a `TaskExecutor`), as each of Go's scheduler threads polls
/// the network when it has no goroutine to run.
///
/// A reader thread per connection costs a thread switch per reply. Here one `epoll_wait` returns
/// every socket with a reply, so a burst of replies wakes one thread once; and a task that runs on
/// this executor is resumed by its reply on the same thread, with no switch at all. The poller also
/// keeps the calls' deadlines, so a call costs no timer of its own.
final class Poller: TaskExecutor, @unchecked Sendable {  // unchecked: `lock` guards the fields below it
    static let shared = Poller()

    private struct Watch {
        weak var watcher: (any PollWatcher)?
        var fd: Int32
        var deadline: UInt64
    }
    private let epfd: Int32
    private let wakeFD: Int32  // an eventfd, token 0: a job, or a deadline earlier than the wait's
    private let lock = NSLock()
    private var watchers: [UInt64: Watch] = [:]
    private var nextToken: UInt64 = 1
    private var wakeAt: UInt64 = .max
    private var jobs: [UnownedJob] = []
    private var waiting = false  // in epoll_wait, or about to be: a new job must signal `wakeFD`
    private var thread: pthread_t?  // the poller's own, once it runs

    private init() {
        epfd = lab_epoll_create()
        wakeFD = lab_eventfd()
        precondition(epfd >= 0 && wakeFD >= 0 && lab_epoll_add(epfd, wakeFD, 0) == 0, "epoll: \(String(cString: strerror(errno)))")
        Thread.start(named: "rpc-poller") { [self] in run() }
    }

    /// Watches `fd` for `watcher`, which the poller holds weakly; returns the token for `unwatch`.
    func watch(_ fd: Int32, _ watcher: any PollWatcher) -> UInt64 {
        lock.withLock {
            defer { nextToken += 1 }
            watchers[nextToken] = Watch(watcher: watcher, fd: fd, deadline: .max)
            lab_epoll_add(epfd, fd, nextToken)
            return nextToken
        }
    }

    /// Stops watching; call it before closing the socket. The socket leaves the epoll set under
    /// the lock, only if still watched, so a number the kernel has since reused is never touched.
    func unwatch(_ token: UInt64) {
        lock.withLock {
            if let w = watchers.removeValue(forKey: token) { lab_epoll_remove(epfd, w.fd) }
        }
    }

    /// The watcher has a call due at `deadline` (a `Deadline`), earlier than any
    /// it had: the poller wakes then and calls its `expire`.
    func due(_ token: UInt64, at deadline: UInt64) {
        let wake = lock.withLock { () -> Bool in
            guard watchers[token] != nil else { return false }
            watchers[token]!.deadline = min(watchers[token]!.deadline, deadline)
            guard deadline < wakeAt else { return false }
            wakeAt = deadline
            return waiting
        }
        if wake { lab_eventfd_signal(wakeFD) }
    }

    /// Whether the caller runs on the poller's thread (a test asks where a task was resumed).
    var isCurrentThread: Bool { lock.withLock { thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false } }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let wake = lock.withLock { () -> Bool in
            jobs.append(job)
            defer { waiting = false }
            return waiting
        }
        if wake { lab_eventfd_signal(wakeFD) }
    }

    private func run() {
        var tokens = [UInt64](repeating: 0, count: 64)
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var batch: [UnownedJob] = []
        lock.withLock { thread = pthread_self() }
        while true {
            lock.withLock { swap(&jobs, &batch) }
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
            let wait = lock.withLock { () -> Int32 in
                wakeAt = watchers.values.lazy.map(\.deadline).min() ?? .max
                if !jobs.isEmpty { return 0 }
                waiting = true
                if wakeAt == .max { return -1 }
                let now = Deadline.now()
                return wakeAt <= now ? 0 : Int32(min((wakeAt - now + 999_999) / 1_000_000, 60_000))
            }
            let n = tokens.withUnsafeMutableBufferPointer { lab_epoll_wait(epfd, $0.baseAddress, Int32($0.count), wait) }
            lock.withLock { waiting = false }
            for token in tokens.prefix(max(0, Int(n))) {
                if token == 0 {
                    lab_eventfd_drain(wakeFD)
                    continue
                }
                // A closed socket stays readable (end of stream), and so does one whose client is
                // going away: it must leave the epoll set, or every wait would return at once.
                guard let w = lock.withLock({ watchers[token]?.watcher }) else {
                    unwatch(token)
                    continue
                }
                if !w.readable(into: &buffer) { unwatch(token) }
            }
            let now = Deadline.now()
            guard lock.withLock({ now >= wakeAt }) else { continue }
            // Each due watcher's deadline is cleared first, so that one `due` sent while it
            // expires calls is kept: the deadline becomes the earlier of the two.
            let due = lock.withLock { () -> [(UInt64, any PollWatcher)] in
                var due: [(UInt64, any PollWatcher)] = []
                for (token, w) in watchers where w.deadline <= now {
                    watchers[token]!.deadline = .max
                    if let watcher = w.watcher { due.append((token, watcher)) }
                }
                return due
            }
            for (token, w) in due {
                let next = w.expire(now: now)
                lock.withLock {
                    if watchers[token] != nil { watchers[token]!.deadline = min(watchers[token]!.deadline, next) }
                }
            }
        }
    }
}
