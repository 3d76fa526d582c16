import Foundation
import LabKit

// Exercise 3: a ballot box that many threads wait on. Read README.md first.
//
// Voters call `cast` from their own threads, once each. Any number of threads call `outcome()`,
// before or after the outcome is known; each must get it as soon as it is certain, either way,
// and sleep until then.

public final class BallotBox: @unchecked Sendable {
    private let voters: Int
    private let needed: Int

    public init(voters: Int, needed: Int) {
        self.voters = voters
        self.needed = needed
        notAttempted()  // delete this line when you start
    }

    /// One voter's vote.
    public func cast(_ yes: Bool) {
    }

    /// Waits until the outcome is certain, then returns it: true when `needed` votes are yes.
    public func outcome() -> Bool {
        false
    }
}
