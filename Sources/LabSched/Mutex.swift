/// Go's `sync.Mutex`: `lock` waits until no thread holds it.
public final class Mutex: @unchecked Sendable {
    public let name: String
    var holder: Int?
    /// What the last `unlock` released.
    var released = VectorClock()

    public init(_ name: String = "mu") { self.name = name }

    public func lock() {
        let t = Current.required
        t.run.step(t, "\(name).Lock()", enabled: { [self] in holder == nil }) {
            acquire(t)
        }
    }

    public func unlock() {
        let t = Current.required
        t.run.step(t, "\(name).Unlock()") {
            release(t)
        }
    }

    func acquire(_ t: LabThread) {
        t.run.lockOrder.taking(self, by: t)
        holder = t.id
        t.held.append(self)
        t.clock.join(released)
        t.acquire(self)
    }

    func release(_ t: LabThread) {
        guard holder != nil else {
            t.run.fail(.panic, "fatal error: sync: unlock of unlocked mutex (\(name))", fatal: true)
            return
        }
        // Go lets any thread unlock a mutex: the holder stops holding it.
        t.run.threads[holder!].held.removeAll { $0 === self }
        holder = nil
        released = t.clock
        t.clock.tick(t.id)
        t.release(self)
    }
}
