import Foundation
import LabKit

// Broken on purpose: main holds the lock while it waits for the votes (sleeping, not waiting on
// the condition, which would release it). No voter can take the lock to count: a deadlock.

public func election(_ e: Election) -> Bool {
    let cond = e.makeCondition()
    let v = Votes()
    cond.lock()
    defer { cond.unlock() }
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
    while v.count < e.needed && v.finished != e.voters {
        Thread.sleep(forTimeInterval: 0.01)
    }
    return v.count >= e.needed
}
