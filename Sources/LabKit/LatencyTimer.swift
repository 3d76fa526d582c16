import Foundation

/// The simulated webs' latency: `sleep(for:)` suspends the calling task until its deadline.
///
/// Why not `Task.sleep`: it arms one dispatch timer per sleeping task, and with thousands of
/// fetches in flight those timers fire late (measured here: 3 ms late on average at 5,000 at once,
/// 6% of a 50 ms fetch). Here every sleeper is one entry in a heap of deadlines kept by one
/// thread, which wakes at the earliest deadline and resumes every task that is due, in deadline
/// order. The thread blocks on a condition variable, so the cooperative pool never does.
public final class LatencyTimer: @unchecked Sendable {  // unchecked: `cond` guards every field
    public static let shared = LatencyTimer()

    /// One sleeping task; `cond` guards `continuation`, which is resumed once and then cleared.
    private final class Sleeper: @unchecked Sendable {
        var continuation: UnsafeContinuation<Void, any Error>?
    }

    private let cond = NSCondition()
    private var heap = MinHeap<UInt64, Sleeper>()
    private var started = false

    public init() {}

    /// Suspends the calling task for `duration`; throws `CancellationError` if it is cancelled first.
    public func sleep(for duration: Duration) async throws {
        let deadline = Deadline.after(duration)
        let sleeper = Sleeper()
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<Void, any Error>) in
                cond.lock()
                defer { cond.unlock() }
                // Checked under the lock: a cancellation that ran before this point is seen here,
                // one that runs after finds the sleeper in the heap.
                if Task.isCancelled { return c.resume(throwing: CancellationError()) }
                sleeper.continuation = c
                let wasEarliest = heap.peek().map { deadline < $0.0 } ?? true
                heap.push(deadline, sleeper)
                if !started { startThread() } else if wasEarliest { cond.signal() }
            }
        } onCancel: {
            cond.lock()
            let c = sleeper.continuation
            sleeper.continuation = nil
            cond.unlock()
            c?.resume(throwing: CancellationError())
        }
    }

    private func startThread() {
        started = true
        Thread.start(named: "LatencyTimer") { [self] in run() }
    }

    private func run() {
        cond.lock()
        while true {
            guard let (deadline, _) = heap.peek() else {
                cond.wait()
                continue
            }
            let now = Deadline.now()
            if deadline > now {
                _ = cond.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9))
                continue
            }
            var due: [UnsafeContinuation<Void, any Error>] = []
            while let (d, s) = heap.peek(), d <= now {
                _ = heap.pop()
                if let c = s.continuation { due.append(c) }
                s.continuation = nil
            }
            cond.unlock()
            for c in due { c.resume() }
            cond.lock()
        }
    }
}
