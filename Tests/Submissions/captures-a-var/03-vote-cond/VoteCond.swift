import Foundation
import LabKit

// The lecture's Go, written as Go: the box itself is right, but a try-out beside it counts votes in
// a plain variable shared with the voters' threads. Swift 6 refuses it ("mutation of captured var
// 'count' in concurrently-executing code"): the grader must say so once, not once per check, and
// point to where the docs explain it.

public final class BallotBox: @unchecked Sendable {  // unchecked: changed's lock guards yes and no
    private let changed = NSCondition()
    private let voters: Int, needed: Int
    private var yes = 0, no = 0

    public init(voters: Int, needed: Int) {
        self.voters = voters
        self.needed = needed
    }

    public func cast(_ vote: Bool) {
        changed.lock()
        defer { changed.unlock() }
        if vote { yes += 1 } else { no += 1 }
        changed.broadcast()
    }

    public func outcome() -> Bool {
        changed.lock()
        defer { changed.unlock() }
        while yes < needed && no <= voters - needed {
            changed.wait()
        }
        return yes >= needed
    }
}

/// The lecture's vote-count-1, to try things out.
func tryOut(_ e: Election) -> Int {
    var count = 0
    for i in 0..<e.voters {
        Thread {
            if e.requestVote(i) { count += 1 }
        }.start()
    }
    return count
}
