import LabSched

// vote-count-4.go with a second waiter, and Signal where Broadcast is needed:
//
//   go func() {                       // a tally that waits for every answer
//       mu.Lock()
//       for finished != 10 { cond.Wait() }
//       mu.Unlock()
//       tallied.Done()
//   }()
//   ...                               // each voter, after counting:
//   cond.Signal()                     // was: cond.Broadcast()
//
// Signal wakes one waiter. When it wakes the one whose condition is still false, that one
// goes back to sleep, and the one whose condition holds may never hear of it.

let voteCondSignal = Scenario(
    name: "vote-cond-signal", summary: "two waiters on one sync.Cond, and each voter signals instead of broadcasting",
    goal: "leave main or the tally asleep for ever", reached: { !$0.kinds.isDisjoint(with: [.deadlock, .leak]) },
    bugs: [.deadlock]
) {
    let mu = Mutex("mu")
    let cond = Cond(mu)
    let count = Shared("count", 0)
    let finished = Shared("finished", 0)
    let tallied = WaitGroup("tallied")
    tallied.go("tally") {
        mu.lock()
        while finished.value != voters {
            cond.wait()
        }
        mu.unlock()
    }
    for i in 0..<voters {
        go {
            let vote = requestVote(i)
            mu.lock()
            if vote { count.value += 1 }
            finished.value += 1
            cond.signal()
            mu.unlock()
        }
    }
    mu.lock()
    while count.value < needed && finished.value != voters {
        cond.wait()
    }
    let d = decision(count.value)
    mu.unlock()
    tallied.wait()
    return d
}
