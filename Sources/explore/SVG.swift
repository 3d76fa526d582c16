import Foundation
import LabHarness
import LabSched
import Scenarios

/// Draws a schedule: one lane per thread, top to bottom in time, an arrow at each hand-over from
/// one thread to another, the row of a failure in red.
func svg(_ s: Schedule, scenario: Scenario) -> String {
    let lane = 190, rowHeight = 26, top = 60, left = 50
    let width = left + lane * s.threads.count + 20
    let height = top + rowHeight * s.steps.count + 40
    func esc(_ t: String) -> String {
        t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
    func x(_ thread: Int) -> Int { left + lane * thread + 5 }
    func y(_ row: Int) -> Int { top + rowHeight * row }
    let failed = Set(s.failures.compactMap(\.step))
    var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" font-family="monospace" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="10" y="20" font-size="14">\(esc(scenario.name)), schedule \(esc(s.name.isEmpty ? "''" : s.name))</text>
        <defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>

        """
    for (i, name) in s.threads.enumerated() {
        out += "<text x=\"\(x(i))\" y=\"\(top - 12)\" font-weight=\"bold\">\(esc(name))</text>\n"
        out += "<line x1=\"\(x(i) + 80)\" y1=\"\(top - 5)\" x2=\"\(x(i) + 80)\" y2=\"\(height - 30)\" stroke=\"#ddd\"/>\n"
    }
    for (r, step) in s.steps.enumerated() {
        out += "<text x=\"10\" y=\"\(y(r) + 16)\" fill=\"#888\">\(r + 1)</text>\n"
        let fill = failed.contains(r) ? "#fdd" : "#eef"
        out += "<rect x=\"\(x(step.thread))\" y=\"\(y(r) + 3)\" width=\"\(lane - 15)\" height=\"\(rowHeight - 6)\" rx=\"4\" fill=\"\(fill)\" stroke=\"#99b\"/>\n"
        out += "<text x=\"\(x(step.thread) + 6)\" y=\"\(y(r) + 17)\">\(esc(String(step.label.prefix(24))))</text>\n"
        if r > 0, s.steps[r - 1].thread != step.thread {
            let from = s.steps[r - 1].thread
            let x1 = x(from) + (from < step.thread ? lane - 15 : 0), x2 = x(step.thread) + (from < step.thread ? 0 : lane - 15)
            out += "<line x1=\"\(x1)\" y1=\"\(y(r - 1) + rowHeight - 3)\" x2=\"\(x2)\" y2=\"\(y(r) + 8)\" stroke=\"#888\" marker-end=\"url(#a)\"/>\n"
        }
    }
    let end = ending(s).joined(separator: "; ")
    out += "<text x=\"10\" y=\"\(height - 12)\">\(esc(end))</text>\n</svg>\n"
    return out
}

func writeSVG(_ s: Schedule, scenario: Scenario, to path: String) throws {
    do {
        try svg(s, scenario: scenario).write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        throw UsageError("--svg: cannot write '\(path)': \(error.localizedDescription)")
    }
}
