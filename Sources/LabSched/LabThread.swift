import Foundation
import LabTSan

/// What a lab thread waits to do: the row it will add, and when it can.
struct Pending {
    var label: String
    var enabled: () -> Bool
    /// A sleep: it can run once virtual time reaches this.
    var wakeAt: Duration?
}

/// One lab thread: a real thread that, under control, runs only while it holds the baton.
final class LabThread: @unchecked Sendable {
    let id: Int
    let name: String
    unowned let run: Run
    var pending: Pending?
    var finished = false
    var clock = VectorClock()
    /// Done at the end of the thread: `WaitGroup.go`'s `Done`.
    var atExit: [() -> Void] = []
    /// Set while the thread runs up to its first operation, right after `go`: where the baton goes back.
    var spawner: LabThread?
    /// What the operation running now orders, for ThreadSanitizer (`flushOrders`).
    var orders: [(UnsafeRawPointer, release: Bool)] = []
    /// The mutexes this thread holds, oldest first: what a lock taken now is ordered after.
    var held: [Mutex] = []

    private let baton = NSCondition()
    private var hasBaton = false
    private var abort = false

    init(id: Int, name: String, run: Run) {
        self.id = id
        self.name = name
        self.run = run
        clock.set(id, 1)
    }

    /// Gives this thread the baton (or, with `abort`, tells it to end where it waits).
    func resume(abort: Bool = false) {
        baton.lock()
        hasBaton = true
        if abort { self.abort = true }
        baton.signal()
        baton.unlock()
    }

    /// Waits for the baton. An aborted thread ends here, its stack abandoned: the schedule is over,
    /// and nothing it would do next can matter.
    func waitForBaton() {
        baton.lock()
        while !hasBaton { baton.wait() }
        hasBaton = false
        let aborted = abort
        baton.unlock()
        if aborted { endThread() }
    }

    /// Passes the baton to `other` and waits to get it back.
    func pass(to other: LabThread) {
        other.resume()
        waitForBaton()
    }
}

/// Ends the calling lab thread where it is, its stack abandoned: the run is over. It leaves the
/// lab's unseen work first (ThreadSanitizer stops a process whose thread ends inside it).
func endThread() -> Never {
    Current.clear()
    lab_tsan_unseen_clear()
    pthread_exit(nil)
}

/// The lab thread that the calling OS thread is, if any.
enum Current {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var thread: LabThread? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<LabThread>.fromOpaque(p).takeUnretainedValue()
    }

    static func set(_ t: LabThread) { pthread_setspecific(key, Unmanaged.passUnretained(t).toOpaque()) }
    static func clear() { pthread_setspecific(key, nil) }

    /// The current lab thread; outside a run, LabSched's primitives have no meaning.
    static var required: LabThread {
        guard let t = thread else {
            fatalError("LabSched: a primitive was used outside a run; start the program with Explorer or runNatively")
        }
        return t
    }
}
