import Foundation
import LabKit

// Broken on purpose: vote-count-2's spin. A waiter takes the lock, checks, lets go, yields the CPU
// for an instant and checks again: always right and quick to notice, and it burns a core meanwhile.

public final class BallotBox: @unchecked Sendable {  // unchecked: mu guards yes and no
    private let mu = NSLock()
    private let voters: Int, needed: Int
    private var yes = 0, no = 0

    public init(voters: Int, needed: Int) {
        self.voters = voters
        self.needed = needed
    }

    public func cast(_ vote: Bool) {
        mu.withLock { if vote { yes += 1 } else { no += 1 } }
    }

    public func outcome() -> Bool {
        while true {
            let decided: Bool? = mu.withLock { yes >= needed ? true : no > voters - needed ? false : nil }
            if let decided { return decided }
            sched_yield()
        }
    }
}
