import Foundation
import LabHarness
import LabSched
import Scenarios

/// `make bench`'s figures for the explorer: hand-overs and schedules per second, and how long
/// each buggy scenario takes to show its first failure. Runs alternate; medians of 5.
func bench(json: Bool) {
    struct Speed: Codable { var scenario: String; var schedulesPerSecond: Double; var handOffsPerSecond: Double; var stepsPerSecond: Double }
    struct FirstFailure: Codable { var scenario: String; var exhaustiveSeconds: Double; var exhaustiveSchedules: Int; var pctSeconds: Double; var pctSchedules: Int }
    let rounds = 5
    let counter = scenario(named: "counter")!
    let voteRacy = scenario(named: "vote-racy")!
    var speeds: [Speed] = []
    var samples: [String: [(Double, Double, Double)]] = [:]
    for _ in 0..<rounds {
        for s in [counter, voteRacy] {
            let e = Explorer.explore(s, strategy: .exhaustive(preemptions: 2), maxSchedules: 2_000)
            samples[s.name, default: []].append((Double(e.schedules) / e.seconds, Double(e.handOffs) / e.seconds, Double(e.steps) / e.seconds))
        }
    }
    for s in [counter, voteRacy] {
        let xs = samples[s.name]!
        speeds.append(Speed(scenario: s.name, schedulesPerSecond: median(xs.map { $0.0 }), handOffsPerSecond: median(xs.map { $0.1 }), stepsPerSecond: median(xs.map { $0.2 })))
    }
    var firsts: [FirstFailure] = []
    for s in scenarios where !s.bugs.isEmpty {
        var ex: [(Double, Int)] = []
        var pct: [(Double, Int)] = []
        for seed in 1...UInt64(rounds) {
            let e = Explorer.explore(s, strategy: .exhaustive(preemptions: 2), maxSchedules: 100_000, stopAtFirstFailure: true)
            ex.append((e.firstFailureSeconds ?? .infinity, e.schedules))
            let p = Explorer.explore(s, strategy: .pct(seed: seed, depth: 3), maxSchedules: 100_000, stopAtFirstFailure: true)
            pct.append((p.firstFailureSeconds ?? .infinity, p.schedules))
        }
        firsts.append(FirstFailure(scenario: s.name, exhaustiveSeconds: median(ex.map { $0.0 }), exhaustiveSchedules: ex[0].1,
                                   pctSeconds: median(pct.map { $0.0 }), pctSchedules: Int(median(pct.map { Double($0.1) }))))
    }
    struct Report: Codable { var speed: [Speed]; var firstFailure: [FirstFailure] }
    if json {
        print(JSON.encode(Report(speed: speeds, firstFailure: firsts)))
        return
    }
    var t = Table(["scenario", "schedules/s", "hand-overs/s", "rows/s"])
    for x in speeds { t.add([x.scenario, grouped(Int(x.schedulesPerSecond)), grouped(Int(x.handOffsPerSecond)), grouped(Int(x.stepsPerSecond))]) }
    print(t.render(), terminator: "")
    print("(exhaustive, at most 2 preemptions, 2,000 schedules; a hand-over is one thread passing the baton to another, a row one operation; median of \(rounds))\n")
    var f = Table(["scenario", "exhaustive: first failure", "schedules", "PCT d=3: first failure", "schedules"])
    for x in firsts {
        f.add([x.scenario, "\(fixed(x.exhaustiveSeconds * 1000, 1)) ms", grouped(x.exhaustiveSchedules),
               "\(fixed(x.pctSeconds * 1000, 1)) ms", grouped(x.pctSchedules)])
    }
    print(f.render(), terminator: "")
    print("(time until the first failing schedule ended; PCT: median over seeds 1-\(rounds))")
}
