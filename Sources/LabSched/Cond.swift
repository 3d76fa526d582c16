/// Go's `sync.Cond` on a `Mutex`. `wait` is two operations: it releases the mutex and sleeps;
/// once signalled, it takes the mutex again. `signal` wakes the longest waiter, as Go's does.
public final class Cond: @unchecked Sendable {
    public let name: String
    public let mu: Mutex
    var waiting: [Int] = []  // tickets, oldest first
    /// Signalled, not yet awake. A signal orders nothing by itself, in Go's memory model and its
    /// race detector: the woken thread is ordered after the signaller by relocking the mutex.
    var woken: Set<Int> = []
    var nextTicket = 0

    public init(_ mu: Mutex, _ name: String = "cond") {
        self.mu = mu
        self.name = name
    }

    public func wait() {
        let t = Current.required
        var ticket = 0
        t.run.step(t, "\(name).Wait()") {
            ticket = nextTicket
            nextTicket += 1
            waiting.append(ticket)
            mu.release(t)
        }
        t.run.step(t, "\(name).Wait() returns, \(mu.name) held", waiting: "\(name).Wait() (asleep until signalled, then \(mu.name).Lock())", enabled: { [self] in woken.contains(ticket) && mu.holder == nil }) {
            woken.remove(ticket)
            mu.acquire(t)
        }
    }

    public func signal() {
        let t = Current.required
        t.run.step(t, "\(name).Signal()") {
            if !waiting.isEmpty { woken.insert(waiting.removeFirst()) }
        }
    }

    public func broadcast() {
        let t = Current.required
        t.run.step(t, "\(name).Broadcast()") {
            woken.formUnion(waiting)
            waiting = []
        }
    }
}
