import Foundation
import LabKit

/// The two ways to look at one election: a timeline read at a glance, and a replay event by event.
public enum Timeline {
    /// One row per participant on a shared time axis.
    ///   voters: `-` asleep in requestVote, `Y`/`N` the vote, `L` took the lock, `x` cancelled
    ///   main:   `#` spinning on the lock, `c` checked, `z` asleep, `.` waiting, `!` woken, `D` decided
    public static func render(_ events: [Stamped], plan: ElectionPlan, width: Int = 64) -> String {
        let end = max(events.map { s -> Duration in
            if case .checks(_, let until) = s.event { return until }
            return s.time
        }.max() ?? .zero, .milliseconds(1))
        let scale = end.milliseconds / Double(width - 1)
        func col(_ t: Duration) -> Int { min(width - 1, max(0, Int((t.milliseconds / scale).rounded()))) }
        var rows: [Participant: [Character]] = [:]
        let who: [Participant] = [.main] + (0..<plan.voters).map { .voter($0) }
        for p in who { rows[p] = Array(repeating: " ", count: width) }
        func put(_ p: Participant, _ c: Int, _ ch: Character) { rows[p]![c] = ch }
        func fill(_ p: Participant, _ from: Int, _ to: Int, _ ch: Character) {
            guard from <= to else { return }
            for c in from...to where rows[p]![c] == " " { rows[p]![c] = ch }
        }
        var asked: [Participant: Duration] = [:]
        var mainMark: (Duration, Character)?  // what main was doing since when
        var decidedCol: Int?
        for s in events {
            let c = col(s.time)
            switch s.event {
            case .asked: asked[s.who] = s.time
            case .voted(let yes):
                if let a = asked[s.who] { fill(s.who, col(a), c, "-") }
                put(s.who, c, yes ? "Y" : "N")
            case .cancelled:
                if let a = asked[s.who] { fill(s.who, col(a), c, "-") }
                put(s.who, c, "x")
            case .locked: if rows[s.who]![c] == " " { put(s.who, c, "L") }
            case .unlocked, .broadcast, .signal: break
            case .checks(let n, let until):
                if let (t, ch) = mainMark, ch == "z" { fill(.main, col(t) + 1, max(col(t) + 1, c - 1), "z") }
                if n > 1 { fill(.main, c, col(until), "#") } else { put(.main, c, "c") }
                mainMark = (until, "z")
            case .waits:
                mainMark = (s.time, ".")
            case .woken:
                if let (t, _) = mainMark { fill(.main, col(t), c, ".") }
                put(.main, c, "!")
                mainMark = nil
            case .decided:
                decidedCol = c
            }
        }
        if let d = decidedCol { rows[.main]![d] = "D" }
        var out = "time (ms)  " + axis(width: width, end: end) + "\n"
        for p in who {
            let label = p == .main ? "main" : "voter \(p.description.dropFirst(6))"
            out += label.padding(toLength: 11, withPad: " ", startingAt: 0) + String(rows[p]!) + "\n"
        }
        // The legend names only the marks the rows use.
        let used = Set(who.flatMap { rows[$0]! })
        func legend(_ marks: [(String, String)]) -> String {
            marks.filter { m, _ in m.contains { used.contains($0) } }.map { "\($0) \($1)" }.joined(separator: ", ")
        }
        out += "\nvoters: " + legend([("-", "asleep in requestVote"), ("Y/N", "vote"), ("L", "took the lock"), ("x", "cancelled")]) + "\n"
        out += "main:   " + legend([("#", "spinning on the lock"), ("c", "checked"), ("z", "asleep"), (".", "waiting"),
                                    ("!", "woken"), ("D", "decided")]) + "\n"
        return out
    }

    /// The time axis: a label every 16 columns, and the end of the election over the last column.
    static func axis(width: Int, end: Duration) -> String {
        var line = Array(repeating: Character(" "), count: width + 8)
        func label(_ c: Int) -> [Character] { Array(String(Int((end.milliseconds * Double(c) / Double(width - 1)).rounded()))) }
        var c = 0
        var free = 0  // the first column no label covers yet
        while c < width {
            for (k, ch) in label(c).enumerated() where c + k < line.count { line[c + k] = ch }
            free = c + label(c).count + 1
            c += 16
        }
        let last = label(width - 1)
        let at = width - last.count
        if at >= free { for (k, ch) in last.enumerated() { line[at + k] = ch } }
        return String(line).trimmingCharacters(in: .whitespaces)
    }

    /// The events one by one, each with what main could know at that moment.
    public static func steps(_ events: [Stamped], plan: ElectionPlan) -> [String] {
        var yes = 0
        var answered = 0
        return events.map { s in
            var what: String
            switch s.event {
            case .asked: what = "asks for a vote and sleeps \(plan.ballots[voterIndex(s.who)].delayMs) ms"
            case .voted(let y):
                answered += 1
                if y { yes += 1 }
                what = "votes \(y ? "yes" : "no")"
            case .cancelled: what = "is cancelled before it votes"
            case .locked: what = "takes the lock"
            case .unlocked: what = "releases the lock"
            case .checks(let n, let until):
                what = n == 1 ? "takes the lock and checks count and finished"
                    : "spins: takes the lock and checks \(grouped(n)) times until \(until.short)"
            case .waits: what = "waits on the condition variable (releasing the lock)"
            case .woken: what = "is woken, holds the lock again, and re-checks"
            case .broadcast: what = "broadcasts: every waiter wakes"
            case .signal: what = "signals: one waiter wakes"
            case .decided(let won): what = "decides: \(won ? "received \(plan.needed)+ votes!" : "lost")"
            }
            let time = String(s.time.short).padding(toLength: 8, withPad: " ", startingAt: 0)
            let who = s.who.description.padding(toLength: 9, withPad: " ", startingAt: 0)
            return "\(time) \(who) \(what)\n         votes in so far: \(yes) yes of \(answered) answered"
                + (plan.decided(yes: yes, answered: answered) ? " (main may decide)" : "")
        }
    }

    static func voterIndex(_ p: Participant) -> Int {
        if case .voter(let i) = p { return i }
        return 0
    }
}
