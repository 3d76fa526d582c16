import LabKit

// Broken on purpose: every voter in a task group, and main reads every vote before deciding.
// Right, and nothing is left behind, but main waits for the slowest voter.

public func election(_ e: Election) async -> Bool {
    await withThrowingTaskGroup(of: Bool.self) { voters in
        for i in 0..<e.voters {
            voters.addTask { try await e.requestVote(i) }
        }
        var count = 0
        while let vote = try? await voters.next() {
            if vote {
                count += 1
            }
        }
        return count >= e.needed
    }
}
