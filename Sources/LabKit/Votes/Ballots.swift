/// One voter's answer, decided before the election runs: after `delayMs` it votes `yes`.
public struct Ballot: Sendable, Codable, Equatable {
    public var voter: Int
    public var delayMs: Int
    public var yes: Bool

    public init(voter: Int, delayMs: Int, yes: Bool) {
        self.voter = voter
        self.delayMs = delayMs
        self.yes = yes
    }
}

/// Everything random about an election, fixed by its seed: each voter sleeps a random 0-99 ms and
/// votes yes with probability 1/2, as the lecture's `requestVote` does.
public struct ElectionPlan: Sendable, Codable, Equatable {
    public var voters: Int
    public var needed: Int
    public var seed: UInt64
    public var ballots: [Ballot]

    public init(voters: Int = 10, needed: Int = 5, seed: UInt64) {
        precondition(voters >= 1 && needed >= 1 && needed <= voters)
        self.voters = voters
        self.needed = needed
        self.seed = seed
        var rng = SplitMix64(seed: seed)
        ballots = (0..<voters).map { Ballot(voter: $0, delayMs: Int(rng.next() % 100), yes: rng.next() % 2 == 0) }
    }

    /// The lecture's rule: main may decide once `needed` voters said yes or all have answered.
    public func decided(yes: Int, answered: Int) -> Bool { yes >= needed || answered == voters }

    /// What a correct program prints: won when at least `needed` of all the votes are yes.
    public var won: Bool { ballots.filter(\.yes).count >= needed }

    /// The ballots in the order their votes are due.
    public var byArrival: [Ballot] { ballots.sorted { $0.delayMs < $1.delayMs } }

    /// The index, in `byArrival`, of the vote after which `rule` lets main decide, as planned.
    public func decidingIndex(_ rule: DecisionRule = .lecture) -> Int {
        Self.decidingIndex(byArrival.map(\.yes), needed: needed, voters: voters, rule: rule)
    }

    /// When, as planned, `rule` lets main decide (ms after the voters were asked).
    public func decidedAtMs(_ rule: DecisionRule = .lecture) -> Int { byArrival[decidingIndex(rule)].delayMs }

    /// The index, in the order the votes arrive, of the vote after which `rule` lets main decide.
    public static func decidingIndex(_ votes: [Bool], needed: Int, voters: Int, rule: DecisionRule = .lecture) -> Int {
        var yes = 0
        for (i, v) in votes.enumerated() {
            if v { yes += 1 }
            if yes >= needed || i + 1 == voters { return i }
            if rule == .certain && (i + 1 - yes) > voters - needed { return i }
        }
        return votes.count - 1
    }
}

/// When a program may decide an election.
public enum DecisionRule: String, Sendable, Codable {
    /// The lecture's: once `needed` votes are yes, or every voter has answered.
    case lecture
    /// As soon as the outcome is certain, either way: once `needed` votes are yes, or once so many
    /// are no that `needed` yes votes can no longer come.
    case certain
}
