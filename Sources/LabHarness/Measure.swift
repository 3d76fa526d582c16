import Foundation
import LabKit

/// Measurements of the running process.
public enum Measure {
    /// CPU time (user + system) this process has used so far, all threads.
    public static func cpuTime() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
    }

    /// CPU time the calling thread has used: unlike `cpuTime`, blind to every other thread (one
    /// left spinning by earlier code, say).
    public static func threadCPUTime() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
    }

    /// Times the calling thread has gone to sleep and been woken (voluntary context switches):
    /// a thread waiting on a condition sleeps once per wake-up; one that polls with a sleep, once
    /// per poll.
    public static func threadSleeps() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD (Linux), which Swift's Glibc does not name
        return usage.ru_nvcsw
    }

    /// The most resident memory this process has used, in bytes.
    public static func peakMemoryBytes() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// Runs `body` and returns its result and how long it took on the continuous clock.
    public static func time<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let t0 = clock.now
        let r = try await body()
        return (r, clock.now - t0)
    }
}
