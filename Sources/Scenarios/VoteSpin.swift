import LabSched

// vote-count-2.go: a mutex guards count and finished; main takes it again and again.
//
//   for {
//       mu.Lock()
//       if count >= 5 || finished == 10 { break }
//       mu.Unlock()
//   }
//   if count >= 5 { ... } else { ... }
//   mu.Unlock()

let voteSpin = Scenario(
    name: "vote-spin", summary: "vote-count-2: a mutex, and main spinning on it",
    goal: "let every voter vote, then make main see it", reached: { $0.outcome == "won" && !$0.failed },
    bugs: [.stepLimit],
    note: """
        A schedule that ends at the step limit is one where main kept the core: it took and released
        the lock again and again while no voter ran. Go's scheduler would preempt main after 10 ms, so
        the program ends, but every one of those steps is CPU burned for nothing: the busy wait.
        """
) {
    let mu = Mutex("mu")
    let count = Shared("count", 0)
    let finished = Shared("finished", 0)
    for i in 0..<voters {
        go {
            let vote = requestVote(i)
            mu.lock()
            if vote { count.value += 1 }
            finished.value += 1
            mu.unlock()
        }
    }
    while true {
        mu.lock()
        if count.value >= needed || finished.value == voters { break }
        mu.unlock()
    }
    let d = decision(count.value)
    mu.unlock()
    return d
}
