import LabSched

// vote-count-4.go with `if` where the lecture has `for`:
//
//   mu.Lock()
//   if count < 5 && finished != 10 {   // was: for
//       cond.Wait()
//   }
//   if count >= 5 { ... } else { ... }
//
// Wait returns after any broadcast, not after the one main hoped for: the condition must be
// tested again when it returns.

let voteCondIf = Scenario(
    name: "vote-cond-if", summary: "vote-count-4 with the wait in an if: main decides after the first vote",
    goal: "make main decide before the election is over", reached: { $0.kinds.contains(.assertion) },
    bugs: [.assertion]
) {
    let mu = Mutex("mu")
    let cond = Cond(mu)
    let count = Shared("count", 0)
    let finished = Shared("finished", 0)
    for i in 0..<voters {
        go {
            let vote = requestVote(i)
            mu.lock()
            if vote { count.value += 1 }
            finished.value += 1
            cond.broadcast()
            mu.unlock()
        }
    }
    mu.lock()
    if count.value < needed && finished.value != voters {
        cond.wait()
    }
    let c = count.value
    let f = finished.value
    check(c >= needed || f == voters, "main decided with \(c) yes of \(f) answers: the election was not over")
    mu.unlock()
    return decision(c)
}
