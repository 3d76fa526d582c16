import Foundation
import LabKit

// Broken on purpose: a waiter holds the lock while it waits for the votes (sleeping, not waiting
// on the condition, which would release it). No voter can take the lock to cast: a deadlock.

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
            Thread.sleep(forTimeInterval: 0.001)  // the bug: the lock stays held
        }
        return yes >= needed
    }
}
