import Foundation
import LabKit

// Broken on purpose: the vote that makes the outcome certain wakes one waiter (signal), and only
// that vote signals. With one waiter all is well; a second one sleeps for ever.

public final class BallotBox: @unchecked Sendable {  // unchecked: changed's lock guards yes and no
    private let changed = NSCondition()
    private let voters: Int, needed: Int
    private var yes = 0, no = 0

    public init(voters: Int, needed: Int) {
        self.voters = voters
        self.needed = needed
    }

    private var certain: Bool { yes >= needed || no > voters - needed }

    public func cast(_ vote: Bool) {
        changed.lock()
        defer { changed.unlock() }
        let before = certain
        if vote { yes += 1 } else { no += 1 }
        if certain && !before {
            changed.signal()  // the bug: one waiter, once
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
