import LabHarness
import LabKit

/// What is wrong with one election's decision, in words that name the election.
public enum VoteCheck {
    public static func what(_ plan: ElectionPlan) -> String {
        "election with \(plan.voters) voters, \(plan.needed) needed, seed \(plan.seed)"
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
