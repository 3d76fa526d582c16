import LabKit

// Right, in another style: each voter and the timer are unstructured tasks that send what happens
// (a vote, nil for no vote, or the deadline) into an AsyncStream; main reads until it can decide or
// the time is up, cancels every task it started, and waits for each of them to end.

enum Happening: Sendable {
    case vote(Bool?)
    case timeUp
}

public func election(_ e: Election, deadline: Duration) async -> Bool? {
    let (happenings, send) = AsyncStream.makeStream(of: Happening.self)
    let voters = (0..<e.voters).map { i in
        Task { send.yield(.vote(try? await e.requestVote(i))) }
    }
    let timer = Task {
        if (try? await Task.sleep(for: deadline)) != nil { send.yield(.timeUp) }
    }
    var yes = 0
    var no = 0
    var outcome: Bool?
    loop: for await h in happenings {
        switch h {
        case .vote(true): yes += 1
        case .vote(false): no += 1
        case .vote(nil): continue
        case .timeUp: break loop
        }
        if yes >= e.needed || no > e.voters - e.needed {
            outcome = yes >= e.needed
            break
        }
    }
    timer.cancel()
    for v in voters { v.cancel() }
    await timer.value
    for v in voters { await v.value }
    send.finish()
    return outcome
}
