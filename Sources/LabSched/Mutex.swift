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
        holder = t.id
        t.clock.join(released)
    }

    func release(_ t: LabThread) {
        guard holder != nil else {
            t.run.fail(.panic, "fatal error: sync: unlock of unlocked mutex (\(name))", fatal: true)
            return
        }
        holder = nil
        released = t.clock
        t.clock.tick(t.id)
    }
}
