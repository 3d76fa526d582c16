import Foundation
import LabHarness
import LabSched
import Scenarios

/// The person is the scheduler: at each choice they see every thread's next operation and type
/// the number of the one to run.
final class Player: Chooser {
    var shown = 0
    var quit: String?

    func choose(_ d: Decision) -> Int {
        let (threads, rows, shared) = d.view()
        for line in rowTable(Schedule(name: "", threads: threads.map(\.name), sharedNames: shared, steps: rows, outcome: nil, failures: []), from: shown).dropFirst(shown == 0 ? 0 : 1) { print(line) }
        shown = rows.count
        print("\nnext:")
        for t in threads where t.next != nil {
            print(t.canRun ? "  [\(t.id)] \(t.name): \(t.next!)" : "      \(t.name): \(t.next!) (waits)")
        }
        while true {
            print("run which thread? (\(d.enabled.map(String.init).joined(separator: ", ")); q quits) ", terminator: "")
            fflush(nil)  // the prompt has no newline
            guard let line = readLine() else {
                quit = "the input ended before the schedule did"
                return -1
            }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if answer == "q" {
                quit = "you quit"
                return -1
            }
            if let n = Int(answer), d.enabled.contains(n) { return n }
            print("'\(answer)' is not a thread that can run now")
        }
    }
}

func play(_ s: Scenario, limits: Limits) {
    print("\(s.name): \(s.summary)")
    print("Goal: \(s.goal).")
    print("You are the scheduler: where more than one thread can run, type the number of the one to run next.\n")
    let player = Player()
    let schedule = Explorer.run(s, chooser: player, limits: limits)
    if let why = player.quit {
        Terminal.standardError.write("explore: stopped: \(why)\n")
        exit(1)
    }
    print()
    for line in rowTable(schedule) { print(line) }
    print()
    ending(schedule).forEach { print($0) }
    let name = schedule.name.isEmpty ? "''" : schedule.name
    if s.reached(schedule) {
        print("\nGoal reached: \(s.goal). Your schedule is \(name): explore \(s.name) --replay \(name)")
    } else {
        print("\nGoal not reached: \(s.goal). Your schedule was \(name). Try again: explore \(s.name) --play")
    }
}
