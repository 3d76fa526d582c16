import Foundation
import LabKit

// Broken on purpose, the Go way: two counting tasks wait for the votes on a semaphore (Go's
// WaitGroup.Wait). A blocked wait in a task holds one of Swift's pool threads (one per core): two
// of them hold the whole pool, no voter can resume to vote, and nothing ever moves again. Every
// check hangs; the grader must still finish the exercise within its limit.

public func election(_ e: Election, deadline: Duration) async -> Bool? {
    let voted = DispatchSemaphore(value: 0)
    let yes = LockedBox(0)
    await withTaskGroup(of: Void.self) { group in
        for i in 0..<e.voters {
            group.addTask {
                if (try? await e.requestVote(i)) == true { yes.withValue { $0 += 1 } }
                voted.signal()
            }
        }
        for _ in 0..<2 {
            group.addTask {
                for _ in 0..<(e.voters + 1) / 2 { voted.wait() }
            }
        }
    }
    return yes.value >= e.needed
}
