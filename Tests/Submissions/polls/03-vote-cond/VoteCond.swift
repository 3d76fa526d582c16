import Foundation
import LabKit

// Broken on purpose: polls. A waiter checks under the lock, then sleeps 1 ms before checking
// again: prompt, little CPU, always right, and it wakes up a thousand times a second.

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
            Thread.sleep(forTimeInterval: 0.001)
        }
    }
}
