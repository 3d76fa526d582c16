import Foundation
import LabKit
import LabHarness

// vote-count-2.go: a lock guards count and finished. Main still loops: take the lock, check,
// release, and round again at full speed. Correct, but it burns a core for the whole wait.

func election(_ e: Election) -> Bool {
    let mu = e.makeLock()  // sync.Mutex
    let v = Votes()  // count and finished, guarded by mu
    for i in 0..<e.voters {
        Thread {
            let vote = e.requestVote(i)
            mu.lock()
            defer { mu.unlock() }
            if vote {
                v.count += 1
            }
            v.finished += 1
        }.start()
    }
    while true {
        mu.lock()
        if v.count >= e.needed || v.finished == e.voters {
            break
        }
        mu.unlock()
    }
    defer { mu.unlock() }
    return v.count >= e.needed
}
