import LabKit

// Broken on purpose: vote-count-5 with an AsyncStream. Main stops reading once it can decide and
// returns; the voters it no longer needs go on running, and their votes are never read.

public func election(_ e: Election) async -> Bool {
    let (votes, send) = AsyncStream.makeStream(of: Bool.self)
    for i in 0..<e.voters {
        Task {
            if let vote = try? await e.requestVote(i) {
                send.yield(vote)
            }
        }
    }
    var count = 0
    var finished = 0
    for await vote in votes {
        if vote {
            count += 1
        }
        finished += 1
        if count >= e.needed || finished == e.voters {
            break
        }
    }
    return count >= e.needed
}
