import Foundation
import LabKit
import LabHarness

// vote-count-3.go: vote-count-2 with a 50 ms sleep in main's loop. The core is no longer
// burned, but main notices the deciding vote up to 50 ms late. How long should it sleep?
// No value is right: that is what a condition variable is for (vote-cond).

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
        Thread.sleep(forTimeInterval: 0.050)  // time.Sleep(50 * time.Millisecond)
    }
    defer { mu.unlock() }
    return v.count >= e.needed
}
