import Foundation
import LabKit

// Broken on purpose: vote-count-3. Main checks under the lock, then sleeps 100 ms before checking
// again: no CPU burnt, always right, and up to 100 ms late.

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
        Thread.sleep(forTimeInterval: 0.1)
    }
    defer { mu.unlock() }
    return v.count >= e.needed
}
