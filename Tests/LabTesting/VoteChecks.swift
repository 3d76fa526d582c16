import LabHarness
import LabKit

/// What is wrong with one election's decision, in words that name the election.
public enum VoteCheck {
    public static func what(_ plan: ElectionPlan) -> String {
        "election with \(plan.voters) voters, \(plan.needed) needed, seed \(plan.seed)"
    }

    /// How the election goes by its plan, for a message about a waiter that never returned:
    /// "won: certain at 41 ms, when the 5th yes came".
    public static func story(_ plan: ElectionPlan, rule: DecisionRule) -> String {
        let arrivals = plan.byArrival
        let i = plan.decidingIndex(rule)
        let yes = arrivals[...i].filter(\.yes).count
        let by = yes >= plan.needed ? "the \(ordinal(yes)) yes came"
            : rule == .lecture || i + 1 == plan.voters ? "the last of the \(plan.voters) voters answered"
            : "the \(ordinal(i + 1 - yes)) no came"
        return "\(plan.won ? "won" : "lost"): certain at \(arrivals[i].delayMs) ms, when \(by)"
    }

    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }

    /// Why the decision was wrong (early, or not what the votes say), or nil when it was right.
    public static func wrongDecision(_ r: ElectionResult, _ plan: ElectionPlan) -> String? {
        if r.early {
            return "\(what(plan)): decided at \(fixed(r.decidedMs)) ms, before the deciding vote (due at \(fixed(r.ruleHeldMs)) ms)"
        }
        if r.won != r.shouldWin { return "\(what(plan)): returned \(r.won), but the votes say \(r.shouldWin)" }
        return nil
    }

    /// For checks of *how* an election decides (promptly, without spinning, without races,
    /// leaving nothing behind): they count only elections decided right, so code that returns at
    /// once, having done nothing, earns none of them.
    public static func unearned(_ r: ElectionResult, _ plan: ElectionPlan) -> String? {
        wrongDecision(r, plan).map { "\($0); this check counts only elections decided right" }
    }

    /// Why a decision was not prompt: wrong (so the check is not earned), or later than
    /// `limitMs` after the deciding vote; nil when it was right and prompt.
    public static func notPrompt(_ r: ElectionResult, _ plan: ElectionPlan, limitMs: Double = 20,
                                 did: String, hint: String = "") -> String? {
        if let p = unearned(r, plan) { return p }
        guard r.latencyMs > limitMs else { return nil }
        return "\(what(plan)): \(did) \(fixed(r.latencyMs)) ms after the deciding vote arrived" + (hint.isEmpty ? "" : ": " + hint)
    }
}
