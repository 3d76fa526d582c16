import Foundation
import LabKit

// Right decisions, but main reads the count after it has let go of the lock: a voter still
// counting (the election is decided before every voter has answered) writes it at the same time.

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
    while v.count < e.needed && v.finished != e.voters {
        cond.wait()
    }
    cond.unlock()
    return v.count >= e.needed
}
