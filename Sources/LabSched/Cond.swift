/// Go's `sync.Cond` on a `Mutex`. `wait` is two operations: it releases the mutex and sleeps;
/// once signalled, it takes the mutex again. `signal` wakes the longest waiter, as Go's does.
public final class Cond: @unchecked Sendable {
    public let name: String
    public let mu: Mutex
    var waiting: [Int] = []  // tickets, oldest first
    var woken: [Int: VectorClock] = [:]  // ticket → the signaller's clock
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
        t.run.step(t, "\(name).Wait() returns, \(mu.name) held", waiting: "\(name).Wait() (asleep until signalled, then \(mu.name).Lock())", enabled: { [self] in woken[ticket] != nil && mu.holder == nil }) {
            t.clock.join(woken.removeValue(forKey: ticket)!)
            t.acquire(self)
            mu.acquire(t)
        }
    }

    public func signal() {
        let t = Current.required
        t.run.step(t, "\(name).Signal()") {
            if !waiting.isEmpty { woken[waiting.removeFirst()] = t.clock }
            t.clock.tick(t.id)
            t.release(self)
        }
    }

    public func broadcast() {
        let t = Current.required
        t.run.step(t, "\(name).Broadcast()") {
            for ticket in waiting { woken[ticket] = t.clock }
            waiting = []
            t.clock.tick(t.id)
            t.release(self)
        }
    }
}
