import LabKit

// Swift's answer to vote-count-5's leak: structured concurrency. The voters are child tasks of a
// group; main reads their votes as they finish and, once it can decide, cancels the rest. A
// cancelled voter's sleep ends at once, and the group does not return until every child has:
// when `election` returns, no voter is left running and no vote is left unread.

func election(_ e: Election) async -> Bool {
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
