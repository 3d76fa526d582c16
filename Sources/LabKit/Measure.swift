import Foundation
import LabSys

/// Measurements of the running process.
public enum Measure {
    /// CPU time (user + system) this process has used so far, all threads.
    public static func cpuTime() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
    }

    /// The most resident memory this process has used, in bytes.
    public static func peakMemoryBytes() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// Every task's memory comes from malloc and goes back to it when the task ends. With glibc's
    /// defaults, the heap of each pool thread then shrinks and grows again with an `mprotect`
    /// system call each time: 400,000 of them for 2 million tasks, measured here. Asking for 64 MB
    /// of slack on growth and trimming only above 256 MB removes them (60 calls) and runs tasks
    /// 15-20% faster. Programs that start many tasks call this first.
    public static func keepHeapGrown() {
        lab_malloc_keep_heap_grown(64 << 20, 256 << 20)
    }

    /// Runs `body` and returns its result and how long it took on the continuous clock.
    public static func time<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let t0 = clock.now
        let r = try await body()
        return (r, clock.now - t0)
    }
}
