import Foundation
import LabHarness
import LabSched
import Scenarios

/// The rows of a schedule as a table: one column per thread, the shared variables after each row.
func rowTable(_ s: Schedule, from first: Int = 0) -> [String] {
    let timed = s.steps.contains { $0.timeMs > 0 }
    var t = Table(["row"] + (timed ? ["ms"] : []) + s.threads + s.sharedNames)
    for (i, step) in s.steps.enumerated() where i >= first {
        var cells = Array(repeating: "", count: s.threads.count)
        cells[step.thread] = step.label
        t.add(["\(i + 1)"] + (timed ? ["\(step.timeMs)"] : []) + cells + step.state)
    }
    return t.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
}

/// What ended the schedule, one line each.
func ending(_ s: Schedule) -> [String] {
    var lines: [String] = []
    lines.append(s.outcome.map { "outcome: \($0)" } ?? "outcome: none (main did not return)")
    for f in s.failures {
        let row = f.message.contains("(row ") ? "" : f.step.map { " (row \($0 + 1))" } ?? ""
        lines.append("\(f.kind.rawValue): \(f.message)" + row)
    }
    if s.failures.isEmpty { lines.append("no failure on this schedule") }
    return lines
}

func showReplay(_ s: Schedule, scenario: Scenario, json: Bool, step: Bool) {
    if json {
        print(JSON.encode(s))
        return
    }
    print("\(scenario.name), schedule \(s.name.isEmpty ? "'' (no choices: each thread runs until it blocks)" : s.name):")
    let lines = rowTable(s)
    if step {
        lines.prefix(2).forEach { print($0) }  // the header and its rule
        stepThrough(Array(lines.dropFirst(2)))
    } else {
        lines.forEach { print($0) }
    }
    print()
    ending(s).forEach { print($0) }
}
