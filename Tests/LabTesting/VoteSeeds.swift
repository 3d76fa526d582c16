import LabKit

/// Elections picked by what their votes make a program do, for checks that need that behaviour.
public enum VoteSeeds {
    /// Seeds whose deciding vote comes late enough (after 40 ms) for waiting to cost something.
    public static let longWaits: [UInt64] = (1...200).map(UInt64.init).filter { seed in
        let p = ElectionPlan(seed: seed)
        let arrivals = p.ballots.sorted { $0.delayMs < $1.delayMs }
        return arrivals[ElectionPlan.decidingIndex(arrivals.map(\.yes), needed: 5, voters: 10)].delayMs >= 40
    }

    /// The same, deciding as soon as the outcome is certain (`DecisionRule.certain`).
    public static let longWaitsCertain: [UInt64] = (1...200).map(UInt64.init).filter { seed in
        let p = ElectionPlan(seed: seed)
        let arrivals = p.ballots.sorted { $0.delayMs < $1.delayMs }
        return arrivals[ElectionPlan.decidingIndex(arrivals.map(\.yes), needed: 5, voters: 10, rule: .certain)].delayMs >= 40
    }

    /// Seeds where some voter answers at least 30 ms after the deciding vote: a program that waits for
    /// every voter instead of deciding is then late by that much.
    public static let slowStragglers: [UInt64] = (1...200).map(UInt64.init).filter { seed in
        let p = ElectionPlan(seed: seed)
        let arrivals = p.ballots.sorted { $0.delayMs < $1.delayMs }
        let deciding = arrivals[ElectionPlan.decidingIndex(arrivals.map(\.yes), needed: 5, voters: 10)].delayMs
        return arrivals.last!.delayMs - deciding >= 30
    }

    /// Seeds, won and lost, where some voter answers at least 30 ms after the outcome became certain.
    public static func slowStragglersCertain(won: Bool) -> [UInt64] {
        (1...300).map(UInt64.init).filter { seed in
            let p = ElectionPlan(seed: seed)
            let arrivals = p.ballots.sorted { $0.delayMs < $1.delayMs }
            let deciding = arrivals[ElectionPlan.decidingIndex(arrivals.map(\.yes), needed: 5, voters: 10, rule: .certain)].delayMs
            return p.won == won && arrivals.last!.delayMs - deciding >= 30
        }
    }
}
