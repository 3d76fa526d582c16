import Foundation
import LabKit

// Right, in another style: POSIX's own mutex and condition variable, as C programs use them
// (Foundation's NSCondition is built on these). They live at fixed addresses, allocated once,
// because pthread objects must never move.

public final class BallotBox: @unchecked Sendable {  // unchecked: mu guards yes and no
    private let mu = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let voters: Int
    private let needed: Int
    private var yes = 0
    private var no = 0

    public init(voters: Int, needed: Int) {
        self.voters = voters
        self.needed = needed
        pthread_mutex_init(mu, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mu)
        changed.deallocate()
        mu.deallocate()
    }

    public func cast(_ vote: Bool) {
        pthread_mutex_lock(mu)
        if vote { yes += 1 } else { no += 1 }
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mu)
    }

    public func outcome() -> Bool {
        pthread_mutex_lock(mu)
        while yes < needed && no <= voters - needed {
            pthread_cond_wait(changed, mu)
        }
        let won = yes >= needed
        pthread_mutex_unlock(mu)
        return won
    }
}
