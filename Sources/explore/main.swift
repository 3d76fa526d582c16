import Foundation
import LabHarness
import LabSched
import Scenarios

let tool = Tool(
    name: "explore",
    summary: "Every schedule of a small concurrent program: which ones race, deadlock or leak, replayed step by step.",
    options: [
        .flag("--list", "List the scenarios."),
        .value("--strategy", "NAME", "exhaustive (every schedule within the preemption bound), random, or pct.", default: "exhaustive"),
        .value("--preemptions", "N", "Exhaustive: at most N preemptions per schedule.", default: "2"),
        .value("--schedules", "N", "At most N schedules (random and pct run exactly N).", default: "10000"),
        .value("--seed", "N", "Random and pct: the seed.", default: "1"),
        .value("--depth", "D", "pct: the bug depth it aims at (ordering constraints).", default: "3"),
        .value("--steps", "N", "Rows before a schedule counts as endless.", default: "300"),
        .value("--replay", "NAME", "Run the schedule NAME (as explore prints it) and show it row by row."),
        .flag("--step", "With --replay on a terminal: wait for Enter after each row."),
        .value("--svg", "FILE", "With --replay: also draw the schedule as an SVG picture."),
        .flag("--play", "You are the scheduler: pick the thread that runs at each step, to reach the scenario's goal."),
        .value("--native", "N", "Run the scenario N times on real threads, in the order the OS gives."),
        .flag("--json", "Print the results as JSON."),
        .flag("--bench", "Measure the explorer itself (make bench): speed, and time to each scenario's first failure."),
    ],
    arguments: "[SCENARIO]", maxArguments: 1,
    discussion: """
        A schedule is one order in which the threads' operations happen. explore runs a scenario under
        many schedules, sorts them by outcome, and names each failing one (for example 1.2.1: the thread
        picked at each step where more than one could run). --replay NAME shows that schedule again,
        one column per thread and the shared variables after each row.

        EXAMPLES:
          explore --list
          explore counter
          explore counter --replay 1.2.1 --step
          explore deadlock --play
          explore vote-racy --strategy pct --schedules 1000
        """)

tool.mainSync { f in
    if f.has("--bench") {
        bench(json: f.has("--json"))
        return
    }
    if f.has("--list") {
        listScenarios(json: f.has("--json"))
        return
    }
    guard let name = f.arguments.first else { throw UsageError("name a scenario (explore --list shows them)") }
    guard let s = scenario(named: name) else {
        throw UsageError("no scenario '\(name)' (choose from \(scenarios.map(\.name).joined(separator: ", ")))")
    }
    let limits = Limits(steps: try f.int("--steps", min: 10, max: 100_000))
    if let replayName = f.string("--replay") {
        let schedule: Schedule
        do {
            schedule = try Explorer.replay(s, name: replayName, limits: limits)
        } catch let e as ReplayError {
            throw UsageError(e.description)
        }
        if let file = f.string("--svg") { try writeSVG(schedule, scenario: s, to: file) }
        showReplay(schedule, scenario: s, json: f.has("--json"), step: f.has("--step"))
        return
    }
    if f.has("--play") {
        play(s, limits: Limits(steps: limits.steps, watchdog: .seconds(86_400)))
        return
    }
    if f.has("--native") {
        let runs = try f.int("--native", min: 1, max: 10_000)
        showNative(s, runs: runs, limits: limits, json: f.has("--json"))
        return
    }
    let strategy: Strategy
    let seed = UInt64(try f.int("--seed"))
    switch try f.choice("--strategy", from: ["exhaustive", "random", "pct"]) {
    case "random": strategy = .random(seed: seed)
    case "pct": strategy = .pct(seed: seed, depth: try f.int("--depth", min: 1, max: 20))
    default: strategy = .exhaustive(preemptions: try f.int("--preemptions", min: 0, max: 20))
    }
    let maxSchedules = try f.int("--schedules", min: 1, max: 10_000_000)
    showExploration(s, strategy: strategy, maxSchedules: maxSchedules, limits: limits, json: f.has("--json"))
}
