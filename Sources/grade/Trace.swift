import Foundation
import LabKit
import LabHarness

/// `make trace EX=03`: the election or crawl of the first failing check, as it ran with the
/// student's code: an election drawn as `vote --trace` draws the lab's programs, a crawl as a table.
enum Trace {
    /// The lab's program each vote exercise builds on, to compare with on the same election.
    static let worked = ["03-vote-cond": "cond", "04-vote-stream": "channel"]

    static func explain(_ g: Grade, _ traces: URL) -> String {
        let failing = g.results.filter { $0.status == .failed || $0.status == .didNotFinish }
        guard let first = failing.first else {
            if let r = g.results.first, g.results.allSatisfy({ $0.status == .notAttempted }) {
                return "\(r.exercise) is not attempted yet (its stub calls notAttempted()): nothing ran to trace. Write it first "
                    + "(Exercises/\(r.exercise)/README.md).\n"
            }
            return g.results.allSatisfy({ $0.status == .passed }) ? "Every check passes: nothing to trace.\n"
                : "No check failed with an election or a crawl to draw (see the table above).\n"
        }
        for r in failing {
            if let t = ElectionTrace.named(in: r.message, check: r.check, from: traces) {
                return "\(r.check) failed on the election with \(t.plan.voters) voters, \(t.plan.needed) needed, seed \(t.plan.seed).\n"
                    + "It ran like this with your code (one row per voter, one for main; time left to right):\n\n"
                    + Timeline.render(t.events, plan: t.plan)
                    + "\nThe lab's \(worked[r.exercise] ?? "cond") program on the same election: vote --trace \(worked[r.exercise] ?? "cond") --seed \(t.plan.seed) "
                    + "--voters \(t.plan.voters) --needed \(t.plan.needed) (or vote --step ... to go event by event).\n"
            }
            if let t = CrawlTrace.named(in: r.message, check: r.check, from: traces) {
                return "\(r.check) failed on this crawl, run with your code (one row per fetch, in the order they started):\n\n"
                    + CrawlTable.render(t)
            }
        }
        return "\(first.check) failed, but its message names no election or crawl to draw (make trace draws those of 01 to 04).\n"
    }
}
