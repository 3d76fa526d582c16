import Foundation
import LabKit

/// Go's sysmon, for threads. Go's runtime has a monitor thread that notices a goroutine that has
/// been in a system call for too long and gives its processor to another thread, so the others
/// go on. This one notices a thread that has been running one piece of work for longer than
/// `after` and calls that work's `takeOver` (once, on the monitor's thread), which starts another
/// thread doing what the stalled one was doing before it began the work.
///
/// The threads connection model uses it so that a connection's reader can run a call itself, in
/// place, which costs no thread switch, and still never holds up the calls behind a slow one:
/// after `after`, a new reader takes the connection over. Handing every call to another thread
/// instead (Go's `go`, literally) costs a thread wake-up per call: a third of the throughput here.
/// Work that another thread can take over when the thread doing it stalls.
public protocol Stallable: AnyObject, Sendable {
    /// Called on the monitor's thread, once: start another thread doing the stalled thread's job.
    func takeOver()
}

public final class StallMonitor: @unchecked Sendable {  // unchecked: `cond` guards the fields below it
    public static let shared = StallMonitor(after: .milliseconds(1))

    public let after: Duration
    private let cond = NSCondition()
    private var running: [UInt64: (since: UInt64, work: any Stallable)] = [:]
    private var next: UInt64 = 1
    private var started = false
    private var parked = false

    public init(after: Duration) { self.after = after }

    /// The calling thread begins work that may stall; `work.takeOver()` runs if it does. Pass
    /// the ticket to `end`.
    public func begin(_ work: any Stallable) -> UInt64 {
        let now = Deadline.now()
        cond.lock()
        defer { cond.unlock() }
        let ticket = next
        next += 1
        running[ticket] = (now, work)
        if !started {
            started = true
            Thread.start(named: "sysmon") { [self] in run() }
        } else if parked {
            cond.signal()
        }
        return ticket
    }

    /// The work is done. True when it stalled and `takeOver` was called: the thread's old job
    /// belongs to another thread now.
    public func end(_ ticket: UInt64) -> Bool {
        cond.withLock { running.removeValue(forKey: ticket) == nil }
    }

    private func run() {
        let tick = after.seconds
        var idleTicks = 0
        cond.lock()
        while true {
            if running.isEmpty {
                idleTicks += 1
                if idleTicks > 50 {  // nothing for a while: sleep until there is work to watch
                    parked = true
                    while running.isEmpty { cond.wait() }
                    parked = false
                }
            } else {
                idleTicks = 0
            }
            let limit = Deadline.now() &- UInt64(after.seconds * 1e9)
            let stalled = running.filter { $0.value.since <= limit }
            for ticket in stalled.keys { running[ticket] = nil }
            if !stalled.isEmpty {
                cond.unlock()
                for (_, entry) in stalled { entry.work.takeOver() }
                cond.lock()
            }
            _ = cond.wait(until: Date(timeIntervalSinceNow: tick))
        }
    }
}
