import Foundation
import LabKit
import LabHarness

// The vote programs side by side (`--compare`), or one of them traced or stepped through.
// Each variant is its own program, run here as a user would run it.

let variants = ["racy", "spin", "sleep", "cond", "channel", "group"]

let tool = Tool(
    name: "vote",
    summary: "Compare the lecture's vote-counting programs, or trace and step through one of them.",
    options: [
        .flag("--compare", "Run every variant on the same seeds and print one table."),
        .value("--elections", "N", "Elections per variant with --compare.", default: "20"),
        .value("--seed", "N", "First seed (the same for every variant).", default: "1"),
        .value("--voters", "N", "Voters to ask.", default: "10"),
        .value("--needed", "N", "Yes votes needed to win.", default: "5"),
        .flag("--trace", "Show VARIANT's election as a timeline."),
        .flag("--step", "Replay VARIANT's election event by event (waits for Enter on a terminal)."),
        .flag("--json", "With --compare: print every variant's results as JSON."),
    ],
    arguments: "[VARIANT]", maxArguments: 1,
    discussion: """
        VARIANTS: \(variants.joined(separator: ", ")) (the programs vote-racy ... vote-group)

        COLUMNS (--compare):
          correct     elections decided as the votes say, never before the rule allowed;
                      (hung): main never decided, and the variant's run stopped there
          latency     how long after the deciding vote main decided (median, max)
          CPU         CPU time of the whole process per election, from start to decision (median)
          checks      times main took the lock to look at count and finished (per election)
          wakes       times main was woken by a vote (per election)
          left        voters still running, or votes never read, when main returned (per election)
          races       ThreadSanitizer reports (only when built with --sanitize=thread)

        EXAMPLES:
          vote --compare
          vote --trace cond --seed 3
          vote sleep --step
        """)

await tool.main { flags in
    let (voters, needed) = try ElectionPlan.size(flags)
    let seed = try flags.int("--seed")
    let common = ["--voters", String(voters), "--needed", String(needed), "--seed", String(seed)]
    if flags.has("--compare") {
        guard flags.arguments.isEmpty else { throw UsageError("--compare runs every variant; drop '\(flags.arguments[0])'") }
        let elections = try flags.int("--elections", min: 1, max: 10_000)
        let reports = try variants.enumerated().map { i, v in
            Terminal.standardError.progress("vote: vote-\(v), \(elections) elections (\(i + 1) of \(variants.count))…")
            return try runVariant(v, common + ["--elections", String(elections), "--json"])
        }
        Terminal.standardError.clearProgress()
        print(flags.has("--json") ? JSON.encode(reports) : compareTable(reports))
        return
    }
    guard let variant = flags.arguments.first else {
        throw UsageError("name a variant (\(variants.joined(separator: ", "))) or use --compare")
    }
    guard variants.contains(variant) else {
        throw UsageError("unknown variant '\(variant)' (choose from \(variants.joined(separator: ", ")))")
    }
    let mode = flags.has("--step") ? ["--step"] : flags.has("--trace") ? ["--trace"] : []
    exit(try runInteractive(variant, common + mode))
}

func runVariant(_ v: String, _ args: [String]) throws -> VoteReport {
    try Subprocess.report(VoteReport.self, from: "vote-\(v)", args)
}

/// Becomes the variant, on this terminal, for --trace and --step: `exec`, not a child process. A
/// child started by `Process` is put in a process group of its own, in the terminal's background,
/// and its reads from the terminal fail: the step view never waited for Enter.
func runInteractive(_ v: String, _ args: [String]) throws -> Int32 {
    let path = try Subprocess.sibling("vote-\(v)").path
    let argv = ([path] + args).map { strdup($0) } + [nil]
    fflush(nil)
    execv(path, argv)
    throw Subprocess.Failed(description: "cannot run \(path): \(String(cString: strerror(errno)))")
}

func compareTable(_ reports: [VoteReport]) -> String {
    func mean(_ xs: [Int]) -> String { fixed(Double(xs.reduce(0, +)) / Double(max(xs.count, 1)), 1) }
    var t = Table(["variant", "correct", "latency ms", "max ms", "CPU ms", "checks", "wakes", "left", "races"])
    for r in reports {
        let e = r.elections
        t.add([
            r.variant, "\(e.filter(\.correct).count)/\(e.count)" + (e.contains(where: \.hung) ? " (hung)" : ""),
            fixed(median(e.map(\.latencyMs))), fixed(e.map(\.latencyMs).max()!),
            fixed(median(e.map(\.cpuMs))), mean(e.map(\.checks)), mean(e.map(\.wakes)), mean(e.map(\.leftBehind)),
            e.first?.races == nil ? "—" : String(e.compactMap(\.races).reduce(0, +)),
        ])
    }
    let n = reports.first?.elections.count ?? 0
    // A racy program that came out right was lucky, not correct: say so where the table says it.
    var note = reports.contains(where: { $0.variant == "vote-racy" })
        ? "\nvote-racy has a data race: its column is luck, right or wrong by build and timing (docs/votes.md)." : ""
    if reports.first?.elections.first?.races == nil {
        note += "\nraces: — means not counted; ThreadSanitizer counts them in a --sanitize=thread build."
    }
    note += "\nlatency: after the deciding vote; checks: main looked at the count; left: voters still running at the end."
    return "Every variant, \(n) elections on the same seeds (\(reports.first?.voters ?? 0) voters, \(reports.first?.needed ?? 0) yes needed):\n\n" + t.render() + note
}
