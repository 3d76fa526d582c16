import Foundation
import LabKit

// The lecture's Go, written as Go: plain variables shared with the voters' threads. Swift 6
// refuses it ("mutation of captured var 'count' in concurrently-executing code"): the grader must
// say so once, not once per check, and point to where the docs explain it.

public func election(_ e: Election) -> Bool {
    let cond = e.makeCondition()
    var count = 0
    var finished = 0
    for i in 0..<e.voters {
        Thread {
            let vote = e.requestVote(i)
            cond.lock()
            if vote { count += 1 }
            finished += 1
            cond.broadcast()
            cond.unlock()
        }.start()
    }
    cond.lock()
    while count < e.needed && finished != e.voters {
        cond.wait()
    }
    cond.unlock()
    return count >= e.needed
}
