import Foundation
import LabKit

// Right outcomes, but a waiter reads the count after it has let go of the lock: a voter still
// casting (the outcome is certain before every voter has answered) writes it at the same time.

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
        while yes < needed && no <= voters - needed {
            changed.wait()
        }
        changed.unlock()
        return yes >= needed  // the bug: read after the unlock
    }
}
