import LabKit

// Broken on purpose: every voter and the deadline in a task group, but main reads every vote before
// deciding (and at the deadline, with votes still out, gives up). Nothing is left behind, but an
// outcome certain early comes only with the slowest voter, or not at all before the deadline.

enum Happening: Sendable {
    case vote(Bool)
    case timeUp
    case stopped
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
        var answered = 0
        while let h = await group.next() {
            switch h {
            case .vote(let v):
                answered += 1
                if v { yes += 1 }
                if answered == e.voters { return yes >= e.needed }
            case .timeUp: return nil
            case .stopped: continue
            }
        }
        return nil
    }
}
