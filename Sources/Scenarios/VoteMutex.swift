import LabSched

// vote-count-3.go: the mutex, and main sleeps between looks.
//
//   for {
//       mu.Lock()
//       if count >= 5 || finished == 10 { break }
//       mu.Unlock()
//       time.Sleep(50 * time.Millisecond)
//   }
//   if count >= 5 { ... } else { ... }
//   mu.Unlock()

let voteMutex = Scenario(
    name: "vote-mutex", summary: "vote-count-3: a mutex, and main sleeps 50 ms between looks",
    goal: "make main decide with only 2 of the 3 votes in", reached: { $0.outcome == "won" && $0.steps.filter { $0.label.hasPrefix("store finished") }.count < voters }
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
        sleep(.milliseconds(50))
    }
    let d = decision(count.value)
    mu.unlock()
    return d
}
