import LabKit

// Right, in another style: each voter is an unstructured task that sends its vote (or nil, if it
// could not vote) into an AsyncStream; main reads votes until it can decide, cancels the voters
// still asking, and waits for every one of them to end before it returns.

public func election(_ e: Election) async -> Bool {
    let (votes, ballotBox) = AsyncStream.makeStream(of: Bool?.self)
    let voters = (0..<e.voters).map { i in
        Task { ballotBox.yield(try? await e.requestVote(i)) }
    }
    var yes = 0
    var counted = 0
    for await vote in votes {
        counted += 1
        if vote == true { yes += 1 }
        if yes >= e.needed || counted == e.voters { break }
    }
    for v in voters { v.cancel() }
    for v in voters { await v.value }
    ballotBox.finish()
    return yes >= e.needed
}
