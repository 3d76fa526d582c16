import Foundation
import LabKit

/// An election kept for `make trace`: when `LAB_TRACE_DIR` names a folder, every election that a
/// program or a check runs is written there, so that the election of a failing check can be drawn
/// afterwards, as `vote --trace` draws one, with the student's own code in it.
public struct ElectionTrace: Codable, Sendable {
    public var plan: ElectionPlan
    public var events: [Stamped]

    static let directory = ProcessInfo.processInfo.environment["LAB_TRACE_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }

    /// The check running now (`testDecidesPromptly`), set by the checks' base class: two checks
    /// may run the same election, and each must find its own run.
    public static let check = LockedBox("")

    static func file(in dir: URL, check: String, voters: Int, needed: Int, seed: UInt64) -> URL {
        dir.appendingPathComponent("election-\(check)-\(voters)-\(needed)-\(seed).json")
    }

    /// Writes the election when traces are wanted (a check's last run of a plan is the one kept).
    static func save(_ plan: ElectionPlan, _ events: [Stamped]) {
        guard let dir = directory else { return }
        try? JSONEncoder().encode(ElectionTrace(plan: plan, events: events))
            .write(to: file(in: dir, check: check.value, voters: plan.voters, needed: plan.needed, seed: plan.seed), options: .atomic)
    }

    /// The election that `check`'s message names ("election with 10 voters, 5 needed, seed 17"), from `dir`.
    public static func named(in message: String, check: String, from dir: URL) -> ElectionTrace? {
        let pattern = /election with (\d+) voters, (\d+) needed, seed (\d+)/
        guard let m = message.firstMatch(of: pattern), let v = Int(m.1), let n = Int(m.2), let s = UInt64(m.3),
              let data = FileManager.default.contents(atPath: file(in: dir, check: check, voters: v, needed: n, seed: s).path) else { return nil }
        return try? JSONDecoder().decode(ElectionTrace.self, from: data)
    }
}
