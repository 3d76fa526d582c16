import LabKit

// Reference solution. The voters are child tasks of a group: main reads their votes as they come,
// cancels the rest once it can decide, and the group waits for every child before returning.

public func election(_ e: Election) async -> Bool {
    await withThrowingTaskGroup(of: Bool.self) { voters in
        for i in 0..<e.voters {
            voters.addTask { try await e.requestVote(i) }
        }
        var count = 0
        var finished = 0
        while count < e.needed && finished < e.voters, let vote = try? await voters.next() {
            if vote {
                count += 1
            }
            finished += 1
        }
        voters.cancelAll()
        return count >= e.needed
    }
}
