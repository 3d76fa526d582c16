import Foundation
import LabKit

// Broken on purpose: vote-count-2's spin. Main takes the lock, checks, lets go, yields the CPU for
// an instant and checks again: always right and quick to notice, and it burns a core meanwhile.

public func election(_ e: Election) -> Bool {
    let mu = e.makeLock()
    let v = Votes()
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
        sched_yield()
    }
    defer { mu.unlock() }
    return v.count >= e.needed
}
