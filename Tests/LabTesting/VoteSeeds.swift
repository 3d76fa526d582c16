import LabKit

/// Elections picked by what their votes make a program do, for checks that need that behaviour.
public enum VoteSeeds {
    /// Seeds whose deciding vote comes late enough (after 40 ms) for waiting to cost something.
    public static let longWaits = longWaits(rule: .lecture)

    /// Seeds where some voter answers at least 30 ms after the deciding vote: a program that waits for
    /// every voter instead of deciding is then late by that much.
    public static let slowStragglers = slowStragglers(rule: .lecture)

    /// Seeds among 1...200 whose outcome, by `rule`, may be decided only 40 ms or more after the start.
    public static func longWaits(rule: DecisionRule) -> [UInt64] {
        (UInt64(1)...200).filter { ElectionPlan(seed: $0).decidedAtMs(rule) >= 40 }
    }

    /// Seeds among 1...`upTo` where some voter answers at least 30 ms after, by `rule`, the outcome
    /// may be decided; only elections won (or lost) when `won` says which.
    public static func slowStragglers(rule: DecisionRule, won: Bool? = nil, upTo: UInt64 = 200) -> [UInt64] {
        (UInt64(1)...upTo).filter { seed in
            let p = ElectionPlan(seed: seed)
            return (won == nil || p.won == won) && p.byArrival.last!.delayMs - p.decidedAtMs(rule) >= 30
        }
    }

    /// Seeds among 1...300 whose outcome becomes certain more than 10 ms before `deadlineMs`
    /// (`before`), or more than 10 ms after it: either way, only one answer is right at the deadline.
    public static func certain(before: Bool, deadlineMs: Int) -> [UInt64] {
        (UInt64(1)...300).filter { seed in
            let at = ElectionPlan(seed: seed).decidedAtMs(.certain)
            return before ? at < deadlineMs - 10 : at > deadlineMs + 10
        }
    }
}
