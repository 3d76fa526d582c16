import Dispatch
import Foundation
import LabKit

/// The watchdog gave up on a body that did not finish in time.
public struct WatchdogTimeout: Error, CustomStringConvertible {
    public var what: String
    public var seconds: Double
    /// The body ran as tasks, where one more cause is common: a blocking wait.
    public var inTasks = false
    public var description: String {
        "\(what) did not finish within \(seconds.formatted()) s: a deadlock, a lost wake-up, or work that never ends"
            + (inTasks ? "; or a blocking wait (a lock's or condition's wait, a semaphore, Thread.sleep) inside a task: "
               + "Swift's task pool has one thread per core (\(ProcessInfo.processInfo.activeProcessorCount) here), "
               + "and tasks blocked on them starve every other task, including the ones they wait for" : "")
    }
}

/// Runs `body` on the task pool and waits for it on this thread for at most `seconds`.
///
/// The waiting happens here, on the test's own thread, not in a task: a body that blocks every
/// thread of Swift's cooperative pool (two on this machine) cannot stop the watchdog from firing.
/// On a timeout it throws `WatchdogTimeout`, which fails the test with its message, and the
/// suite goes on; the stuck body is abandoned.
@discardableResult
public func withWatchdog<T: Sendable>(
    _ seconds: Double = 30, _ what: @autoclosure () -> String,
    _ body: @escaping @Sendable () async throws -> T
) throws -> T {
    let result = LockedBox<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let task = Task.detached {
        do { result.set(.success(try await body())) } catch { result.set(.failure(error)) }
        done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else {
        task.cancel()
        TaskPool.mayBeBlocked.set(true)
        throw WatchdogTimeout(what: what(), seconds: seconds, inTasks: true)
    }
    return try result.value!.get()
}

/// Whether Swift's cooperative task pool can still run a task. After a watchdog gave up on tasks,
/// they may still hold every thread of the pool (blocked in a lock, a semaphore, a sleep), and
/// every later check that needs a task would wait for its own watchdog in turn.
public enum TaskPool {
    /// Set when a watchdog gave up on a body that ran as tasks.
    public static let mayBeBlocked = LockedBox(false)

    /// Whether a new task starts within `seconds`.
    public static func runs(within seconds: Double = 2) -> Bool {
        let started = DispatchSemaphore(value: 0)
        Task.detached { started.signal() }
        return started.wait(timeout: .now() + seconds) == .success
    }
}

/// The same for code that blocks (Threads, locks, condition variables): `body` runs on a Thread of
/// its own, never on the cooperative pool, and this thread waits for it at most `seconds`.
@discardableResult
public func withWatchdog<T: Sendable>(
    _ seconds: Double = 30, _ what: @autoclosure () -> String, onThread body: @escaping @Sendable () throws -> T
) throws -> T {
    let result = LockedBox<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Thread {
        do { result.set(.success(try body())) } catch { result.set(.failure(error)) }
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + seconds) == .success else {
        throw WatchdogTimeout(what: what(), seconds: seconds)
    }
    return try result.value!.get()
}
