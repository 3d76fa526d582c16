import Foundation
import LabKit

// Reference solution: vote-count-4. Voters broadcast after counting; main waits on the condition
// and re-checks in a loop, because a wake-up only says that something changed.

public func election(_ e: Election) -> Bool {
    let cond = e.makeCondition()
    let v = Votes()
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
    defer { cond.unlock() }
    while v.count < e.needed && v.finished != e.voters {
        cond.wait()
    }
    return v.count >= e.needed
}
