import LabKit

// Broken on purpose: vote-count-5 with an AsyncStream. Main stops reading once it can decide and
// returns; the voters it no longer needs go on running, and their votes are never read. (Its timer
// it does cancel: only the voters leak.)

enum Happening: Sendable {
    case vote(Bool)
    case timeUp
}

public func election(_ e: Election, deadline: Duration) async -> Bool? {
    let (happenings, send) = AsyncStream.makeStream(of: Happening.self)
    for i in 0..<e.voters {
        Task {
            if let vote = try? await e.requestVote(i) {
                send.yield(.vote(vote))
            }
        }
    }
    let timer = Task {
        if (try? await Task.sleep(for: deadline)) != nil { send.yield(.timeUp) }
    }
    defer { timer.cancel() }
    var yes = 0
    var no = 0
    for await h in happenings {
        switch h {
        case .vote(true): yes += 1
        case .vote(false): no += 1
        case .timeUp: return nil
        }
        if yes >= e.needed || no > e.voters - e.needed {
            return yes >= e.needed
        }
    }
    return nil
}
