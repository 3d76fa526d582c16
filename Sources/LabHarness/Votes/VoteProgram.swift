import Foundation
import LabKit

/// What a vote program prints with `--json`, and what `vote --compare` reads.
public struct VoteReport: Codable, Sendable {
    public var variant: String
    public var style: VoteStyle
    public var voters: Int
    public var needed: Int
    public var elections: [ElectionResult]
}

/// The `main` of every vote program: flags, elections, and the three ways to show them.
public enum VoteProgram {
    public static let options: [Option] = [
        .value("--seed", "N", "Seed of the voters' delays and votes (default: a new one each run, printed)."),
        .value("--voters", "N", "Voters to ask.", default: "10"),
        .value("--needed", "N", "Yes votes needed to win.", default: "5"),
        .value("--elections", "N", "Elections to run, with seeds N, N+1, ...", default: "1"),
        .flag("--trace", "Show the election as a timeline: a row per voter and one for main."),
        .flag("--step", "Replay the election event by event, waiting for Enter at each on a terminal."),
        .flag("--json", "Print every election's result as JSON."),
    ]

    static func tool(_ variant: String, _ summary: String) -> Tool {
        Tool(name: variant, summary: summary, options: options, discussion: """
            EXAMPLES:
              \(variant)                      one election, as the lecture's program
              \(variant) --seed 7 --trace     what each thread did, on one time axis
              \(variant) --seed 7 --step      the same, one event at a time
              \(variant) --elections 100      how it does over many elections
            """)
    }

    struct Settings {
        var seed: UInt64
        var voters: Int
        var needed: Int
        var elections: Int
        var trace: Bool
        var step: Bool
        var json: Bool

        init(_ f: Flags) throws {
            (voters, needed) = try ElectionPlan.size(f)
            elections = try f.int("--elections", min: 1, max: 100_000)
            seed = f.has("--seed") ? UInt64(try f.int("--seed")) : UInt64.random(in: 1...999_999)
            trace = f.has("--trace")
            step = f.has("--step")
            json = f.has("--json")
            if (trace || step) && elections > 1 { throw UsageError("--trace and --step show one election; drop --elections") }
        }

        func plan(_ k: Int) -> ElectionPlan { ElectionPlan(voters: voters, needed: needed, seed: seed + UInt64(k)) }
    }

    /// For variants whose voters are Threads: elections run on the main thread, which may block.
    /// A hung election ends the run there: its main thread is still spinning or waiting, and only
    /// the end of the process stops it.
    public static func main(variant: String, summary: String, style: VoteStyle, election: @escaping @Sendable (Election) -> Bool) {
        tool(variant, summary).mainSync { f in
            let s = try Settings(f)
            var runs: [(ElectionResult, [Stamped])] = []
            for k in 0..<s.elections {
                runs.append(Election.run(s.plan(k), style: style, election))
                if runs.last!.0.hung { break }
            }
            show(variant, style, s, runs)
            exit(0)
        }
    }

    /// For variants whose voters are tasks.
    public static func main(variant: String, summary: String, style: VoteStyle, election: @escaping @Sendable (Election) async -> Bool) async {
        await tool(variant, summary).main { f in
            let s = try Settings(f)
            var runs: [(ElectionResult, [Stamped])] = []
            for k in 0..<s.elections { runs.append(await Election.run(s.plan(k), style: style, election)) }
            show(variant, style, s, runs)
        }
    }

    static func show(_ variant: String, _ style: VoteStyle, _ s: Settings, _ runs: [(ElectionResult, [Stamped])]) {
        let results = runs.map(\.0)
        if s.json {
            print(JSON.encode(VoteReport(variant: variant, style: style, voters: s.voters, needed: s.needed, elections: results)))
            return
        }
        if results.count == 1, let r = results.first {
            print(r.hung ? "(no decision)" : r.won ? "received \(s.needed)+ votes!" : "lost")
            print(describe(r))
            if s.trace { print("\n" + Timeline.render(runs[0].1, plan: s.plan(0)), terminator: "") }
            if s.step { print(); stepThrough(Timeline.steps(runs[0].1, plan: s.plan(0))) }
            return
        }
        print(summarize(variant, results))
    }

    public static func describe(_ r: ElectionResult) -> String {
        var s = "seed \(r.seed): decided at \(fixed(r.decidedMs, 1)) ms, \(fixed(r.latencyMs, 2)) ms after the deciding vote;"
        s += " main took the lock \(counted(r.checks, "time")) and was woken \(counted(r.wakes, "time"));"
        s += " CPU \(fixed(r.cpuMs, 2)) ms; \(counted(r.leftBehind, "voter")) left behind"
        if let races = r.races { s += "; \(counted(races, "race report"))" }
        if r.hung {
            return "seed \(r.seed): main never decided: still waiting \(Election.patience.short) after the last vote."
                + " A lost update? Two voters did `finished += 1` at once and one increment vanished."
        }
        if !r.correct { s += r.early ? "\nWRONG: main decided before the votes allowed it" : "\nWRONG: the votes say \(r.shouldWin ? "won" : "lost")" }
        return s
    }

    public static func summarize(_ variant: String, _ rs: [ElectionResult]) -> String {
        let wrong = rs.filter { !$0.correct }.count
        var s = "\(variant): \(rs.count) elections (seeds \(rs.first!.seed)-\(rs.last!.seed)), \(rs.count - wrong) decided correctly\n"
        if rs.last!.hung { s += "  the last one never decided (main still waiting \(Election.patience.short) after the last vote): stopped there\n" }
        s += "  decision latency after the deciding vote: median \(fixed(median(rs.map(\.latencyMs)))) ms, max \(fixed(rs.map(\.latencyMs).max()!)) ms\n"
        s += "  CPU per election: median \(fixed(median(rs.map(\.cpuMs)))) ms\n"
        s += "  main took the lock \(fixed(Double(rs.map(\.checks).reduce(0, +)) / Double(rs.count), 1)) times and was woken "
        s += "\(fixed(Double(rs.map(\.wakes).reduce(0, +)) / Double(rs.count), 1)) times per election\n"
        s += "  left behind at return: \(fixed(Double(rs.map(\.leftBehind).reduce(0, +)) / Double(rs.count), 1)) voters per election"
        if rs.first?.races != nil { s += "\n  race reports: \(rs.compactMap(\.races).reduce(0, +))" }
        return s
    }
}

extension ElectionPlan {
    /// `--voters` and `--needed` from the command line, the same for every vote program: an
    /// election that needs more yes votes than it has voters could never be won.
    public static func size(_ f: Flags) throws -> (voters: Int, needed: Int) {
        let voters = try f.int("--voters", min: 1, max: 1000)
        let needed = try f.int("--needed", min: 1)
        guard needed <= voters else {
            throw UsageError("--needed \(needed) is more than --voters \(voters): the election could never be won")
        }
        return (voters, needed)
    }
}
