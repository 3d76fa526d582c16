import Foundation
import LabKit

// Right, in another style: POSIX's own mutex and condition variable, as C programs use them
// (Foundation's NSCondition is built on these). They live at fixed addresses, allocated once,
// because pthread objects must never move.

final class Tally: @unchecked Sendable {  // unchecked: mu guards yes and finished
    let mu = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    var yes = 0
    var finished = 0

    init() {
        pthread_mutex_init(mu, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mu)
        changed.deallocate()
        mu.deallocate()
    }
}

public func election(_ e: Election) -> Bool {
    let t = Tally()
    for i in 0..<e.voters {
        Thread {
            let vote = e.requestVote(i)
            pthread_mutex_lock(t.mu)
            if vote { t.yes += 1 }
            t.finished += 1
            pthread_cond_broadcast(t.changed)
            pthread_mutex_unlock(t.mu)
        }.start()
    }
    pthread_mutex_lock(t.mu)
    while t.yes < e.needed && t.finished < e.voters {
        pthread_cond_wait(t.changed, t.mu)
    }
    let won = t.yes >= e.needed
    pthread_mutex_unlock(t.mu)
    return won
}
