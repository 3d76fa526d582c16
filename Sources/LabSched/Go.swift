import Foundation

/// Go's `go` statement: runs `body` on a new lab thread. Starting it is one row of the schedule,
/// not a point where the scheduler chooses: the new thread's first choice is its first operation.
public func go(_ name: String? = nil, _ body: @escaping @Sendable () -> Void) {
    let t = Current.required
    t.run.spawn(t, name: name, body)
}

/// `time.Sleep`. Under control it takes no wall time: the thread waits until virtual time
/// reaches its wake-up, and virtual time moves only when no thread can run (as in Go's
/// `testing/synctest`). So a sleep never orders two threads that run at the same virtual time.
public func sleep(_ d: Duration) {
    let t = Current.required
    let run = t.run
    let ms = Int(d / .milliseconds(1))
    if run.isControlled {
        run.step(t, "sleep \(ms) ms", wakeAt: run.now + d) {}
    } else {
        Thread.sleep(forTimeInterval: Double(ms) / 1000)
        run.event(t, "sleep \(ms) ms")
    }
}

/// Checks what the scenario promises; a false `condition` ends the schedule as a failed
/// assertion (as `panic` or `log.Fatal` would end the Go program).
public func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if condition { return }
    let t = Current.required
    t.run.failHere(t, .assertion, message())
}
