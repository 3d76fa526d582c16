import LabSched

// vote-count-4.go: main waits on a condition variable; each voter broadcasts.
//
//   cond := sync.NewCond(&mu)
//   go func() {                       // each of the 10 voters
//       vote := requestVote()
//       mu.Lock()
//       defer mu.Unlock()
//       if vote { count++ }
//       finished++
//       cond.Broadcast()
//   }()
//   mu.Lock()
//   for count < 5 && finished != 10 {
//       cond.Wait()
//   }
//   if count >= 5 { ... } else { ... }
//   mu.Unlock()

let voteCond = Scenario(
    name: "vote-cond", summary: "vote-count-4: sync.Cond, waited on in a loop, broadcast by each voter",
    goal: "make main wake up and go back to sleep at least once", reached: { s in
        s.steps.filter { $0.thread == 0 && $0.label.hasPrefix("cond.Wait() returns") }.count >= 2
    }
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
    while count.value < needed && finished.value != voters {
        cond.wait()
    }
    let d = decision(count.value)
    mu.unlock()
    return d
}
