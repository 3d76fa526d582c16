import LabKit

// Broken on purpose: the task group of the worked example, deciding the moment the outcome is
// certain and cancelling the rest, but with no timer: it never gives up, and answers after the
// deadline when the outcome was not certain by then.

public func election(_ e: Election, deadline: Duration) async -> Bool? {
    await withThrowingTaskGroup(of: Bool.self) { voters in
        for i in 0..<e.voters {
            voters.addTask { try await e.requestVote(i) }
        }
        defer { voters.cancelAll() }
        var yes = 0
        var no = 0
        while let vote = try? await voters.next() {
            if vote { yes += 1 } else { no += 1 }
            if yes >= e.needed || no > e.voters - e.needed { break }
        }
        return yes >= e.needed
    }
}
