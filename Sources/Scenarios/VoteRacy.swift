import LabSched

// vote-count-1.go: no lock at all.
//
//   count := 0
//   finished := 0
//   for i := 0; i < 10; i++ {
//       go func() {
//           vote := requestVote()
//           if vote { count++ }
//           finished++
//       }()
//   }
//   for count < 5 && finished != 10 {
//       // wait
//   }
//   if count >= 5 { println("received 5+ votes!") } else { println("lost") }

let voteRacy = Scenario(
    name: "vote-racy", summary: "vote-count-1: voters and main share count and finished with no lock",
    goal: "lose a vote: make main decide 'lost'", reached: { $0.outcome == "lost" },
    bugs: [.race],
    note: "A lost update of finished leaves main spinning for ever: those schedules end at the step limit."
) {
    let count = Shared("count", 0)
    let finished = Shared("finished", 0)
    for i in 0..<voters {
        go {
            let vote = requestVote(i)
            if vote { count.value += 1 }
            finished.value += 1
        }
    }
    while count.value < needed && finished.value != voters {
        // wait
    }
    return decision(count.value)
}
