import Foundation
import LabHarness
import LabSched
import Scenarios

struct ScenarioInfo: Codable {
    var name: String
    var summary: String
    var goal: String
    var bugs: [FailureKind]
}

func listScenarios(json: Bool) {
    if json {
        print(JSON.encode(scenarios.map { ScenarioInfo(name: $0.name, summary: $0.summary, goal: $0.goal, bugs: $0.bugs.sorted()) }))
        return
    }
    let width = scenarios.map(\.name.count).max()!
    for s in scenarios {
        print(s.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + s.summary)
    }
}

/// Explores, with progress on a terminal, then prints the outcomes and the failures.
func showExploration(_ s: Scenario, strategy: Strategy, maxSchedules: Int, limits: Limits, json: Bool) {
    let terminal = Terminal.standardError
    var lastShown = ContinuousClock.now
    let result = Explorer.explore(s, strategy: strategy, maxSchedules: maxSchedules, limits: limits, onSchedule: { n, _ in
        if terminal.isInteractive, ContinuousClock.now - lastShown > .milliseconds(200) {
            lastShown = .now
            terminal.progress("explore \(s.name): \(grouped(n)) schedules")
        }
    })
    terminal.clearProgress()
    if json {
        print(JSON.encode(result))
        return
    }
    print("\(s.name): \(s.summary)")
    var extent = "\(grouped(result.schedules)) schedule\(result.schedules == 1 ? "" : "s")"
    if result.complete {
        extent += ", the whole bounded space"
    } else if let why = result.stopped {
        extent += ", then stopped: \(why)"
    } else if case .exhaustive = strategy {
        extent += ", not the whole bounded space (raise --schedules to go on)"
    }
    print("\(strategy.description): \(extent) (\(fixed(result.seconds, 2)) s, \(grouped(result.steps)) steps)\n")

    var outcomes = Table(["outcome", "schedules", "first"])
    for o in result.outcomes { outcomes.add([o.outcome, grouped(o.schedules), o.first.isEmpty ? "(none)" : o.first]) }
    print(outcomes.render(), terminator: "")
    if result.failures.isEmpty {
        print("\nno failures: no race, deadlock, leak or failed check on any schedule explored")
    } else {
        print()
        var failures = Table(["failure", "schedules", "first", "what"])
        for x in result.failures {
            failures.add([x.kind.rawValue, grouped(x.schedules), x.first.isEmpty ? "(none)" : x.first, x.message])
        }
        print(failures.render(), terminator: "")
        print("\n(first: the schedule's name; see one with: explore \(s.name) --replay \(result.failures[0].first.isEmpty ? "''" : result.failures[0].first))")
    }
    if let note = s.note { print("\n" + note) }
}

/// Runs natively and counts outcomes and failures.
func showNative(_ s: Scenario, runs: Int, limits: Limits, json: Bool) {
    var outcomes: [String: Int] = [:]
    var failures: [FailureKind: Int] = [:]
    for _ in 0..<runs {
        let r = Explorer.runNatively(s, limits: limits)
        outcomes[r.outcome ?? "(main did not return)", default: 0] += 1
        for k in r.kinds { failures[k, default: 0] += 1 }
    }
    struct Native: Codable { var scenario: String; var runs: Int; var outcomes: [String: Int]; var failures: [String: Int] }
    if json {
        print(JSON.encode(Native(scenario: s.name, runs: runs, outcomes: outcomes,
                                 failures: Dictionary(uniqueKeysWithValues: failures.map { ($0.key.rawValue, $0.value) }))))
        return
    }
    print("\(s.name), \(runs) runs on real threads:\n")
    var t = Table(["outcome", "runs"])
    for (o, n) in outcomes.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { t.add([o, grouped(n)]) }
    print(t.render(), terminator: "")
    if !failures.isEmpty {
        print()
        var f = Table(["failure", "runs"])
        for (k, n) in failures.sorted(by: { $0.key < $1.key }) { f.add([k.rawValue, grouped(n)]) }
        print(f.render(), terminator: "")
    }
}
