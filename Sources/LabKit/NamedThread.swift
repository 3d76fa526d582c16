import Foundation
import LabSys
#if canImport(Glibc)
import Glibc
#endif

extension Thread {
    /// Starts `body` on a new thread that `top -H`, `perf` and gdb show as `name`, and says
    /// whether it could: a process at its limit of threads (a container's, or memory for the
    /// stack) gets none, and Foundation's `Thread.start` would fail without a word, leaving the
    /// work it was for undone for ever. The name is set from inside the thread: on Linux, a name
    /// given before the start is lost.
    @discardableResult
    public static func start(named name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) -> Bool {
        final class Start {
            let name: String
            let body: @Sendable () -> Void
            init(_ name: String, _ body: @escaping @Sendable () -> Void) {
                self.name = name
                self.body = body
            }
        }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize { pthread_attr_setstacksize(&attr, stackSize) }
        let start = Unmanaged.passRetained(Start(name, body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, &attr, { arg in
            let start = Unmanaged<Start>.fromOpaque(arg!).takeRetainedValue()
            // Not `Thread.current.name`: Foundation makes the thread's `Thread` object under a
            // lock of its own, and frees it under that lock as the thread ends, which would order
            // each thread started here after every thread that ended before, for ThreadSanitizer.
            lab_name_this_thread(start.name)
            start.body()
            return nil
        }, start)
        guard created == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            return false
        }
        return true
    }
}
