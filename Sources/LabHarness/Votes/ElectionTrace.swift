import Foundation
import LabKit

/// An election kept for `make trace` (see `TraceFolder`), drawn afterwards as `vote --trace`
/// draws one.
public struct ElectionTrace: Codable, Sendable {
    public var plan: ElectionPlan
    public var events: [Stamped]

    static func file(in dir: URL, check: String, voters: Int, needed: Int, seed: UInt64) -> URL {
        dir.appendingPathComponent("election-\(check)-\(voters)-\(needed)-\(seed).json")
    }

    /// Writes the election when traces are wanted (a check's last run of a plan is the one kept).
    static func save(_ plan: ElectionPlan, _ events: [Stamped]) {
        guard let dir = TraceFolder.directory else { return }
        try? JSONEncoder().encode(ElectionTrace(plan: plan, events: events))
            .write(to: file(in: dir, check: TraceFolder.check.value, voters: plan.voters, needed: plan.needed, seed: plan.seed), options: .atomic)
    }

    /// The election that `check`'s message names ("election with 10 voters, 5 needed, seed 17"), from `dir`.
    public static func named(in message: String, check: String, from dir: URL) -> ElectionTrace? {
        let pattern = /election with (\d+) voters, (\d+) needed, seed (\d+)/
        guard let m = message.firstMatch(of: pattern), let v = Int(m.1), let n = Int(m.2), let s = UInt64(m.3),
              let data = FileManager.default.contents(atPath: file(in: dir, check: check, voters: v, needed: n, seed: s).path) else { return nil }
        return try? JSONDecoder().decode(ElectionTrace.self, from: data)
    }
}
