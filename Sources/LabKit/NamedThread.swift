import Foundation

extension Thread {
    /// Starts `body` on a new thread that `top -H`, `perf` and gdb show as `name`. The name is set
    /// from inside the thread: on Linux, a name given before `start` is lost and the thread keeps
    /// the name of the thread that created it.
    public static func start(named name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let t = Thread {
            Thread.current.name = name
            body()
        }
        if let stackSize { t.stackSize = stackSize }
        t.start()
    }
}
