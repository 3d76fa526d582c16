import Foundation
import LabKit

// vote-count-1.go: no lock at all. Swift 6 refuses to compile the Go version's shape:
//   error: mutation of captured var 'count' in concurrently-executing code
// `nonisolated(unsafe)` switches that check off for these two variables. The race is then ours,
// and ThreadSanitizer's to find (`make test`, or `swift build --sanitize=thread`).

func election(_ e: Election) -> Bool {
    nonisolated(unsafe) var count = 0
    nonisolated(unsafe) var finished = 0
    for i in 0..<e.voters {
        Thread {
            let vote = e.requestVote(i)
            if vote {
                count += 1
            }
            finished += 1
        }.start()
    }
    while count < e.needed && finished != e.voters {
        // wait
    }
    return count >= e.needed
}
