import LabSched

// vote-count-5.go: an unbuffered channel, and main stops reading once it knows.
//
//   ch := make(chan bool)
//   for i := 0; i < 10; i++ {
//       go func() { ch <- requestVote() }()
//   }
//   count := 0
//   finished := 0
//   for count < 5 && finished < 10 {
//       v := <-ch
//       if v { count += 1 }
//       finished += 1
//   }
//
// The voters whose answers main never reads wait on `ch <-` for ever: a goroutine leak.

let voteChannel = Scenario(
    name: "vote-channel", summary: "vote-count-5: an unbuffered channel; voters main stops reading wait for ever",
    goal: "make main return with no voter left waiting", reached: { $0.outcome != nil && !$0.kinds.contains(.leak) },
    bugs: [.leak]
) {
    let ch = Chan<Bool>("ch")
    for i in 0..<voters {
        go { ch.send(requestVote(i)) }
    }
    var count = 0  // main's own: no other thread touches them
    var finished = 0
    while count < needed && finished < voters {
        if ch.receive()! { count += 1 }
        finished += 1
    }
    return decision(count)
}
