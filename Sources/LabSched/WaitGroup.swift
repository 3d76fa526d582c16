/// Go's `sync.WaitGroup`.
public final class WaitGroup: @unchecked Sendable {
    public let name: String
    var count = 0
    var released = VectorClock()

    public init(_ name: String = "wg") { self.name = name }

    public func add(_ n: Int) {
        let t = Current.required
        t.run.step(t, "\(name).Add(\(n))") { change(t, by: n) }
    }

    public func done() {
        let t = Current.required
        t.run.step(t, "\(name).Done()") { change(t, by: -1) }
    }

    public func wait() {
        let t = Current.required
        t.run.step(t, "\(name).Wait()", enabled: { [self] in count == 0 }) {
            t.clock.join(released)
            t.acquire(self)
        }
    }

    /// Go 1.25's `wg.Go(f)`: `Add(1)`, then `go`, with `Done` as the thread ends. Neither the Add
    /// nor the Done is a choice point of its own, so two threads of one operation each make
    /// two schedules, not more.
    public func go(_ name: String? = nil, _ body: @escaping @Sendable () -> Void) {
        let t = Current.required
        let run = t.run
        run.spawn(t, name: name, label: { "\(self.name).Go(\($0))" }, effect: { count += 1 }, atExit: { [self] in
            let me = Current.required
            change(me, by: -1)
        }, body)
    }

    private func change(_ t: LabThread, by n: Int) {
        count += n
        if n < 0 {
            released.join(t.clock)
            t.clock.tick(t.id)
            t.release(self)
        }
        if count < 0 { t.run.fail(.panic, "panic: sync: negative WaitGroup counter (\(name))", fatal: true) }
    }
}
