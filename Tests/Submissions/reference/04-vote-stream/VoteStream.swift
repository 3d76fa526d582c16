import LabKit

// Reference solution. Every voter and the deadline are children of one task group, and main reads
// what happens in the order it happens. Whatever main decides, cancelAll() stops the voters still
// asleep and the timer, and the group does not return until every child has ended.

enum Happening: Sendable {
    case vote(Bool)
    case timeUp
    case stopped  // a child cancelled before it had anything to say
}

public func election(_ e: Election, deadline: Duration) async -> Bool? {
    await withTaskGroup(of: Happening.self) { group in
        for i in 0..<e.voters {
            group.addTask {
                guard let vote = try? await e.requestVote(i) else { return .stopped }
                return .vote(vote)
            }
        }
        group.addTask {
            guard (try? await Task.sleep(for: deadline)) != nil else { return .stopped }
            return .timeUp
        }
        defer { group.cancelAll() }
        var yes = 0
        var no = 0
        while let happened = await group.next() {
            switch happened {
            case .vote(true): yes += 1
            case .vote(false): no += 1
            case .timeUp: return nil
            case .stopped: continue
            }
            if yes >= e.needed || no > e.voters - e.needed {
                return yes >= e.needed
            }
        }
        return nil
    }
}
