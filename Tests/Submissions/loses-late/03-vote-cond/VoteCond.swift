import Foundation
import LabKit

// Broken on purpose: vote-cond's rule (the worked example's), not this exercise's: a loss is
// announced only when every voter has answered, though it was certain once a sixth voter said no.

public final class BallotBox: @unchecked Sendable {  // unchecked: changed's lock guards yes and finished
    private let changed = NSCondition()
    private let voters: Int, needed: Int
    private var yes = 0, finished = 0

    public init(voters: Int, needed: Int) {
        self.voters = voters
        self.needed = needed
    }

    public func cast(_ vote: Bool) {
        changed.lock()
        defer { changed.unlock() }
        if vote { yes += 1 }
        finished += 1
        changed.broadcast()
    }

    public func outcome() -> Bool {
        changed.lock()
        defer { changed.unlock() }
        while yes < needed && finished != voters {
            changed.wait()
        }
        return yes >= needed
    }
}
