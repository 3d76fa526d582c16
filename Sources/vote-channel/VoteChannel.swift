import LabKit

// vote-count-5.go: each voter sends its vote on a channel; only main touches count and
// finished, so nothing needs a lock. Main stops reading once it can decide. In Go the voters
// still to answer then block forever on the unbuffered channel: a goroutine leak. An AsyncStream
// never blocks its sender, so here they finish, and their votes sit unread in the buffer:
// work nobody wanted, still done. vote-group shows Swift's way to stop it.

func election(_ e: Election) async -> Bool {
    let (ch, send) = AsyncStream.makeStream(of: Bool.self)
    for i in 0..<e.voters {
        Task {
            send.yield(try await e.requestVote(i))
        }
    }
    var votes = ch.makeAsyncIterator()
    var count = 0
    var finished = 0
    while count < e.needed && finished < e.voters {
        if await votes.next()! {
            count += 1
        }
        finished += 1
    }
    return count >= e.needed
}
