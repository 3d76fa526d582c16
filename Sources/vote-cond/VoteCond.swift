import Foundation
import LabKit
import LabHarness

// vote-count-4.go: a condition variable. Main waits on `cond` (releasing the lock while it
// sleeps) and every voter broadcasts after it has counted its vote. Main re-checks in a loop:
// a wake-up only means "something changed", not "you can decide now".
// Foundation's NSCondition is Go's sync.Mutex and sync.Cond in one object.

func election(_ e: Election) -> Bool {
    let cond = e.makeCondition()  // mu and sync.NewCond(&mu)
    let v = Votes()  // count and finished, guarded by cond's lock
    for i in 0..<e.voters {
        Thread {
            let vote = e.requestVote(i)
            cond.lock()
            defer { cond.unlock() }
            if vote {
                v.count += 1
            }
            v.finished += 1
            cond.broadcast()
        }.start()
    }
    cond.lock()
    while v.count < e.needed && v.finished != e.voters {
        cond.wait()
    }
    defer { cond.unlock() }
    return v.count >= e.needed
}
