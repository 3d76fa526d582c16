import LabSched

/// Every scenario, in the order `explore --list` shows them: the lecture's order.
public let scenarios: [Scenario] = [
    counter, voteRacy, voteSpin, voteMutex, voteCond, voteCondIf, voteCondSignal, voteChannel, deadlock, crawlNoLock,
]

public func scenario(named name: String) -> Scenario? { scenarios.first { $0.name == name } }
