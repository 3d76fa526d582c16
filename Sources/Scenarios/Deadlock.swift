import LabSched

// Two mutexes taken in opposite orders:
//
//   go func() { a.Lock(); b.Lock(); b.Unlock(); a.Unlock() }()
//   go func() { b.Lock(); a.Lock(); a.Unlock(); b.Unlock() }()
//
// Each thread can hold one and wait for the other: nothing can run, and Go says
// "all goroutines are asleep - deadlock!". The schedules that finish are wrong too: the two
// orders are reported as a lock-order inversion, so the bug is found without deadlocking.

let deadlock = Scenario(
    name: "deadlock", summary: "two threads take two mutexes in opposite orders",
    goal: "deadlock both threads", reached: { $0.kinds.contains(.deadlock) },
    bugs: [.deadlock, .lockOrder]
) {
    let a = Mutex("a")
    let b = Mutex("b")
    let wg = WaitGroup()
    wg.go {
        a.lock()
        b.lock()
        b.unlock()
        a.unlock()
    }
    wg.go {
        b.lock()
        a.lock()
        a.unlock()
        b.unlock()
    }
    wg.wait()
    return "done"
}
