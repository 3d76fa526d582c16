import Foundation
import LabKit

// Broken on purpose: polls, gently. A waiter checks under the lock, then sleeps 10 ms before
// checking again: prompt enough (at most 10 ms late), little CPU, always right, and it wakes up
// a hundred times a second, votes or not.

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
            Thread.sleep(forTimeInterval: 0.010)
        }
    }
}
