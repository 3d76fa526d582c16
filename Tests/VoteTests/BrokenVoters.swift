import LabKit

// Broken vote programs, kept to prove the checks in VoteTests can fail.

/// vote-group without `cancelAll()`: the group still waits for every voter before it returns, so
/// main's decision comes only when the last, slowest voter has answered.
func groupThatForgetsToCancel(_ e: Election) async -> Bool {
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
        return count >= e.needed
    }
}
