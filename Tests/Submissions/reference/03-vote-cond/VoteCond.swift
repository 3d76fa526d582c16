import Foundation
import LabKit

// Reference solution. The counts live under the condition's lock. The outcome is certain once
// `needed` votes are yes or more than `voters - needed` are no. A waiter checks before it sleeps
// and after every wake-up (`while`), so a late caller never sleeps; the vote that makes the
// outcome certain broadcasts, because every waiter must hear it, not one.

public final class BallotBox: @unchecked Sendable {  // unchecked: changed's lock guards yes and no
    private let changed = NSCondition()
    private let voters: Int
    private let needed: Int
    private var yes = 0
    private var no = 0

    public init(voters: Int, needed: Int) {
        self.voters = voters
        self.needed = needed
    }

    private var certain: Bool { yes >= needed || no > voters - needed }

    public func cast(_ vote: Bool) {
        changed.lock()
        defer { changed.unlock() }
        if vote {
            yes += 1
        } else {
            no += 1
        }
        if certain {
            changed.broadcast()
        }
    }

    public func outcome() -> Bool {
        changed.lock()
        defer { changed.unlock() }
        while !certain {
            changed.wait()
        }
        return yes >= needed
    }
}
