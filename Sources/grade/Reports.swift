import Foundation
import LabKit
import LabHarness

/// A graded submission, and the forms it is written in: the table a student reads, Gradescope's
/// results.json, JUnit XML for CI, and a row of the class's CSV.
struct Grade: Codable {
    var submission: String
    var results: [CheckResult]
    var seconds: Double
    /// Why a class grading has no results for this submission (its grading crashed or hung).
    var note: String? = nil

    var score: Int { results.map(\.points).reduce(0, +) }
    var maxScore: Int { results.map(\.maxPoints).reduce(0, +) }

    func results(of folder: String) -> [CheckResult] { results.filter { $0.exercise == folder } }

    /// One row per exercise, then the total and what to do next.
    func table(_ exercises: [Exercise]) -> String {
        var t = Table(["exercise", "score", "checks"])
        for e in exercises {
            let rs = results(of: e.folder)
            guard !rs.isEmpty else { continue }
            t.add([e.folder, "\(rs.map(\.points).reduce(0, +))/\(e.maxPoints)", Self.summary(rs)])
        }
        t.add(["total", "\(score)/\(maxScore)", String(format: "graded in %.1f s", seconds)])
        var out = t.render()
        if let next = exercises.first(where: { e in results(of: e.folder).contains { $0.status != .passed } }) {
            let rs = results(of: next.folder)
            out += "\nnext: \(next.folder) (Exercises/\(next.folder)/README.md)\n"
            if let r = rs.first, r.message.hasPrefix("not graded"), rs.allSatisfy({ $0.message == r.message }) {
                out += "  \(r.message)\n"
            } else if let r = rs.first(where: { $0.status == .didNotCompile }) {
                // The same errors cost every check: say them once.
                out += "  did not compile:\n" + r.message.split(separator: "\n").prefix(5).map { "    \($0)\n" }.joined()
                if let hint = Self.compileHint(r.message) { out += "  \(hint)\n" }
            } else {
                for r in rs where r.status != .passed && r.status != .notAttempted {
                    out += "  \(r.check): \(r.status.rawValue)\n" + r.message.split(separator: "\n").prefix(3).map { "    \($0)\n" }.joined()
                }
            }
        } else if !results.isEmpty {
            out += "\nEvery check passes.\n"
        }
        return out
    }

    /// Where the docs explain a compiler error that the lecture's Go habits lead to.
    static func compileHint(_ message: String) -> String? {
        if message.contains("concurrently-executing code") || message.contains("captured var") {
            return "a Go habit that Swift 6 refuses: a variable shared by concurrent code must be guarded and the compiler told so; "
                + "see docs/votes.md, section 1, \"What Swift changes: the compiler is the first race detector\""
        }
        if message.contains("Sendable") {
            return "the compiler checks what concurrent code may share: see docs/crawler.md on `Sendable` and `@unchecked Sendable`"
        }
        return nil
    }

    static func summary(_ rs: [CheckResult]) -> String {
        if rs.allSatisfy({ $0.status == .notAttempted }) { return "not attempted" }
        if let r = rs.first(where: { $0.status == .didNotCompile }) { return "did not compile: " + (r.message.split(separator: "\n").first.map(String.init) ?? "") }
        if let r = rs.first, r.message.hasPrefix("not graded"), rs.allSatisfy({ $0.message == r.message }) { return r.message }
        let passed = rs.filter { $0.status == .passed }.count
        let others = rs.filter { $0.status != .passed }.map { "\($0.check) \($0.status.rawValue)" }
        return (["\(passed) of \(rs.count) passed"] + others).joined(separator: "; ")
    }

    /// Gradescope's autograder format: https://gradescope-autograders.readthedocs.io/en/latest/specs/
    /// Each check is shown as its exercise's manifest says (`visibility`).
    func gradescope(_ exercises: [Exercise]) -> String {
        struct Test: Encodable {
            var name: String
            var score: Int
            var max_score: Int
            var status: String
            var output: String
            var visibility = "visible"
        }
        struct Results: Encodable {
            var score: Int
            var execution_time: Int
            var output: String
            var stdout_visibility = "hidden"  // the grader's table names every check, hidden ones too
            var tests: [Test]
        }
        // A compile error is the same for every check of its exercise: shown in full once, at the first.
        var firstUncompiled: [String: String] = [:]
        let tests = results.map { r -> Test in
            var output = r.status == .passed ? "" : r.explained
            if r.status == .didNotCompile {
                if let first = firstUncompiled[r.exercise] {
                    output = "did not compile: the error is under \(r.exercise): \(first)"
                } else {
                    firstUncompiled[r.exercise] = r.check
                }
            }
            let visibility = exercises.first { $0.folder == r.exercise }?.checks.first { $0.name == r.check }?.visibility
            return Test(name: "\(r.exercise): \(r.check)", score: r.points, max_score: r.maxPoints,
                        status: r.status == .passed ? "passed" : "failed", output: output, visibility: visibility ?? "visible")
        }
        let shown = tests.filter { $0.visibility == "visible" }
        let output = shown.count == tests.count ? "\(score) of \(maxScore) points"
            : "\(shown.map(\.score).reduce(0, +)) of \(shown.map(\.max_score).reduce(0, +)) points in the checks shown now; the others are shown later"
        return JSON.encode(Results(score: score, execution_time: Int(seconds.rounded()), output: output, tests: tests))
    }

    /// JUnit XML: one test suite per exercise, one test case per check.
    func junit(_ exercises: [Exercise]) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"\(esc(submission))\" tests=\"\(results.count)\">\n"
        for e in exercises {
            let rs = results(of: e.folder)
            guard !rs.isEmpty else { continue }
            let failures = rs.filter { $0.status != .passed && $0.status != .notAttempted && $0.status != .skipped }.count
            let skipped = rs.filter { $0.status == .notAttempted || $0.status == .skipped }.count
            x += "  <testsuite name=\"\(esc(e.folder))\" tests=\"\(rs.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
            for r in rs {
                x += "    <testcase classname=\"\(esc(e.checksClass))\" name=\"\(esc(r.check))\">"
                switch r.status {
                case .passed: break
                case .notAttempted, .skipped: x += "<skipped message=\"\(esc(r.explained))\"/>"
                default: x += "<failure message=\"\(esc(r.status.rawValue))\">\(esc(r.message))</failure>"
                }
                x += "</testcase>\n"
            }
            x += "  </testsuite>\n"
        }
        return x + "</testsuites>\n"
    }

    /// The class's CSV: a header, then one row per submission with each exercise's points, and a
    /// note where a grading did not end with a grade.
    static func csv(_ grades: [Grade], _ exercises: [Exercise]) -> String {
        func field(_ s: String) -> String { s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var out = (["submission", "score", "max_score"] + exercises.map(\.folder) + ["note"]).joined(separator: ",") + "\n"
        let max = exercises.map(\.maxPoints).reduce(0, +)
        for g in grades {
            // Not graded: no score at all, not a zero that a gradebook would take for one.
            let graded = g.note == nil
            out += ([field(g.submission), graded ? "\(g.score)" : "", "\(max)"]
                    + exercises.map { e in graded ? "\(g.results(of: e.folder).map(\.points).reduce(0, +))" : "" } + [field(g.note ?? "")]).joined(separator: ",") + "\n"
        }
        return out
    }
}

extension CheckResult {
    /// The status and the message, without saying the status twice.
    var explained: String { message.hasPrefix(status.rawValue) ? message : "\(status.rawValue): \(message)" }
}
