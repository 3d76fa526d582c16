import Foundation
import LabKit
import LabHarness

/// Grades one submission: builds what compiles, drops what does not (it scores zero), and runs
/// the checks of every exercise that built.
struct Grader {
    let scratch: Scratch

    static func matches(_ e: Exercise, _ name: String) -> Bool {
        e.folder == name || e.folder.hasPrefix(name + "-") || e.folder.dropFirst(3) == name
    }

    /// What a build left to do: the results so far (refused files, compile errors), and the
    /// exercises that built, whose checks are still to run.
    struct Built {
        var results: [CheckResult]
        var building: [Exercise]
        let submission: URL?
        let start: ContinuousClock.Instant
        let order: [String]  // the exercises' folders, in the order the results are listed
    }

    func grade(_ exercises: [Exercise], submission: URL?, name: String) throws -> Grade {
        try scratch.exclusively { try run(try build(exercises, submission: submission, name: name), name: name) }
    }

    /// Lays out the package and builds it, dropping each exercise that does not compile.
    func build(_ exercises: [Exercise], submission: URL?, name: String) throws -> Built {
        let t0 = ContinuousClock.now
        let err = Terminal.standardError
        defer { err.clearProgress() }
        var results: [CheckResult] = []
        var building = exercises
        let found = submission.map(Submission.init)
        for e in exercises {
            guard let why = Scratch.refusal(e, in: found) else { continue }
            results += e.checks.map { CheckResult(exercise: e.folder, check: $0.name, points: 0, maxPoints: $0.points, status: .failed, message: why) }
            building.removeAll { $0.folder == e.folder }
        }
        while !building.isEmpty {
            err.progress("grade: \(name): building \(building.count) exercise(s)\(scratch.sanitized ? " with ThreadSanitizer" : "")…")
            try scratch.prepare(building, submission: found)
            guard let output = try scratch.buildChecks(building) else { break }
            guard let blamed = scratch.blame(output, building) else {
                let why = "the lab itself did not build around this submission:\n" + Runner.lastLines(output, 20)
                results += building.flatMap { e in e.checks.map {
                    CheckResult(exercise: e.folder, check: $0.name, points: 0, maxPoints: $0.points, status: .didNotCompile, message: why)
                } }
                building = []
                break
            }
            for e in building where blamed[e.folder] != nil {
                let why = blamed[e.folder]!.prefix(5).joined(separator: "\n")
                results += e.checks.map {
                    CheckResult(exercise: e.folder, check: $0.name, points: 0, maxPoints: $0.points, status: .didNotCompile, message: why)
                }
            }
            building.removeAll { blamed[$0.folder] != nil }
        }
        return Built(results: results, building: building, submission: submission, start: t0, order: exercises.map(\.folder))
    }

    /// Runs the checks of what built: one exercise after another, or with `sideBySide` every
    /// check of an exercise at once (`Runner.gradeSideBySide`).
    func run(_ built: Built, name: String, sideBySide: Bool = false) throws -> Grade {
        let err = Terminal.standardError
        defer { err.clearProgress() }
        var results = built.results
        let building = built.building
        let submission = built.submission
        let runner = Runner(program: scratch.testProgram, directory: scratch.work)
        if !building.isEmpty, let user = try ChecksUser.configured.get() { try user.mustReach(runner.program, in: runner.directory) }
        for (i, e) in building.enumerated() {
            err.progress("grade: \(name): \(e.folder) (\(i + 1) of \(building.count))…")
            results += try sideBySide ? runner.gradeSideBySide(e) : runner.grade(e)
        }
        let risky = RiskyAPIs.report(submission ?? scratch.lab.appendingPathComponent("Exercises"))
        if !risky.isEmpty {
            err.clearProgress()
            err.write("grade: \(name): read these before trusting the grade; they use APIs beyond the exercises':\n"
                      + risky.map { "  " + $0 }.joined(separator: "\n") + "\n")
        }
        if !runner.killedLeftovers.isEmpty {
            err.clearProgress()
            err.write("grade: \(name): killed \(runner.killedLeftovers.count) process(es) the submission left running: "
                      + runner.killedLeftovers.prefix(3).joined(separator: "; ") + "\n")
        }
        return Grade(submission: name, results: results.stableSorted(built.order), seconds: (ContinuousClock.now - built.start).seconds)
    }
}

extension Array where Element == CheckResult {
    /// In the order of the exercises, each exercise's checks in the order its manifest lists them.
    func stableSorted(_ order: [String]) -> [CheckResult] {
        enumerated().sorted { a, b in
            let (ia, ib) = (order.firstIndex(of: a.element.exercise) ?? 0, order.firstIndex(of: b.element.exercise) ?? 0)
            return ia != ib ? ia < ib : a.offset < b.offset
        }.map(\.element)
    }
}

/// The hints of an exercise, one more each time they are asked for (`make hint EX=01`).
struct Hints {
    let lab: URL
    let state: URL

    func next(_ e: Exercise) throws -> String {
        let dir = lab.appendingPathComponent("Exercises/\(e.folder)/hints")
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".md") }.sorted()
        guard !all.isEmpty else { return "\(e.folder) has no hints." }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let seenFile = state.appendingPathComponent(e.folder)
        let seen = Int((try? String(contentsOf: seenFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        guard seen < all.count else {
            return "No more hints for \(e.folder): all \(all.count) have been shown (they are in Exercises/\(e.folder)/hints/)."
        }
        let text = try String(contentsOf: dir.appendingPathComponent(all[seen]), encoding: .utf8)
        try "\(seen + 1)\n".write(to: seenFile, atomically: true, encoding: .utf8)
        return "Hint \(seen + 1) of \(all.count) for \(e.folder):\n\n" + text
    }
}
