import Foundation
import LabKit
import LabHarness

// Grades the exercises: builds the submission's files with the lab's checks under ThreadSanitizer,
// runs each exercise's checks in processes of their own, and scores what their records say.
// See docs/grading.md.

let tool = Tool(
    name: "grade",
    summary: "Grade the exercises in Exercises/, or a student's copy of them, each in isolation.",
    options: [
        .value("--submission", "DIR", "Grade this copy of Exercises/ instead of the lab's own (or any folder holding the exercises' files: a copy of the lab, or the files alone)."),
        .value("--submissions", "DIR", "Grade every folder in DIR as a submission, and write grades.csv."),
        .value("--workers", "N", "With --submissions: students graded at once, each in a scratch folder of its own (default: the cores)."),
        .value("--limit", "SECONDS", "With --submissions: the most one student's grading may take, build included (default: 15 min and every exercise's time)."),
        .value("--only", "LIST", "Comma-separated exercises to grade, by number or name (01,crawl-bounded)."),
        .value("--out", "DIR", "Where results.json (Gradescope), results.xml (JUnit) and grades.csv go.", default: "."),
        .value("--scratch", "DIR", "The grader's own build folder, kept between runs so rebuilds are quick.", default: ".build-grade"),
        .value("--hint", "EXERCISE", "Show the next hint of an exercise (by number or name), one more each time."),
        .value("--watch", "EXERCISE", "Re-check EXERCISE (or `next`: the first not done) each time it is saved; keys n h l r q (make watch)."),
        .value("--reset", "EXERCISE", "Put back an exercise's stub, after asking; your file is kept in .lab/saved/ (make reset)."),
        .value("--trace", "EXERCISE", "Grade one exercise, then draw the election or crawl of its first failing check, run with your code (01 to 04)."),
        .flag("--json", "Print the grade as JSON instead of a table."),
        .flag("--yes", "With --reset: do not ask."),
    ],
    discussion: """
        Each exercise is built and run on its own: a compile error, a crash or a hang in one costs
        only that exercise. Scores come from records the checks write as they end, never from what
        the code under test prints.

        EXAMPLES:
          grade                                  the lab's own Exercises/ (what make grade runs)
          grade --only 01                        one exercise
          grade --submission ~/alice/Exercises   a student's copy, graded in a scratch package
          grade --submissions ~/class --out out  a whole class: one row each in out/grades.csv,
                                                 two students at a time on two cores
          grade --hint 02                        the next hint for exercise 02
          grade --trace 03                       03's first failing election, as a timeline (01, 02: the crawl, as a table)
        """)

let lab = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

await tool.main { flags in
    Reaper.adoptOrphans()
    guard FileManager.default.fileExists(atPath: lab.appendingPathComponent("Package.swift").path) else {
        throw UsageError("run grade from the lab's folder (the one with Package.swift and Exercises/)")
    }
    let exercises = try Exercise.all(in: lab)
    let scratchDir = URL(fileURLWithPath: flags.string("--scratch")!, relativeTo: lab).standardizedFileURL
    if let which = flags.string("--hint") {
        guard let e = exercises.first(where: { Grader.matches($0, which) }) else { throw UsageError("--hint: no exercise '\(which)'") }
        print(try Hints(lab: lab, state: scratchDir.appendingPathComponent("hints")).next(e))
        return
    }
    func folder(_ flag: String) throws -> URL? {
        guard let path = flags.string(flag) else { return nil }
        let url = URL(fileURLWithPath: path, relativeTo: lab).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw UsageError("\(flag): no folder '\(path)'")
        }
        return url
    }
    if let which = flags.string("--watch") {
        let start = which == "next" ? nil : exercises.first { Grader.matches($0, which) }
        guard which == "next" || start != nil else { throw UsageError("--watch: no exercise '\(which)'") }
        var watch = Watch(lab: lab, submission: try folder("--submission"), exercises: exercises, scratch: scratchDir, start: start)
        try watch.run()
        return
    }
    if let which = flags.string("--reset") {
        guard let e = exercises.first(where: { Grader.matches($0, which) }) else { throw UsageError("--reset: no exercise '\(which)'") }
        print(try Reset.run(e, lab: lab, submission: try folder("--submission"), yes: flags.has("--yes")))
        return
    }
    if let which = flags.string("--trace") {
        guard let e = exercises.first(where: { Grader.matches($0, which) }) else { throw UsageError("--trace: no exercise '\(which)'") }
        let traces = scratchDir.appendingPathComponent("trace")
        try? FileManager.default.removeItem(at: traces)
        try FileManager.default.createDirectory(at: traces, withIntermediateDirectories: true)
        setenv("LAB_TRACE_DIR", traces.path, 1)  // every election the checks run is kept there
        let submission = try folder("--submission")
        let g = try Grader(scratch: Scratch(lab: lab, folder: scratchDir)).grade([e], submission: submission, name: submission?.lastPathComponent ?? "Exercises")
        print(g.table([e]), terminator: "")
        print("\n" + Trace.explain(g, traces), terminator: "")
        return
    }
    var chosen = exercises
    if let only = flags.string("--only") {
        let wanted = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for w in wanted where !exercises.contains(where: { Grader.matches($0, w) }) {
            throw UsageError("--only: no exercise '\(w)' (there are \(exercises.map(\.folder).joined(separator: ", ")))")
        }
        chosen = exercises.filter { e in wanted.contains { Grader.matches(e, $0) } }
    }
    let out = URL(fileURLWithPath: flags.string("--out")!, relativeTo: lab).standardizedFileURL
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let grader = Grader(scratch: Scratch(lab: lab, folder: scratchDir))

    if let all = try folder("--submissions") {
        // The results and the scratch folders are not students, when they are in the class's folder.
        let names = try ClassGrading.submissions(in: all).filter { name in
            let url = all.appendingPathComponent(name).standardizedFileURL.path
            return ![out.path, scratchDir.path].contains { $0 == url || $0.hasPrefix(url + "/") }
        }
        guard !names.isEmpty else {
            throw UsageError("--submissions: '\(flags.string("--submissions")!)' holds no submissions (a folder per student, each a copy of Exercises/)")
        }
        var workers = flags.has("--workers") ? try flags.int("--workers", min: 1, max: 64) : ProcessInfo.processInfo.activeProcessorCount
        if try ChecksUser.configured.get() != nil {
            // Each check's end kills every process of the checks' user: students one at a time.
            guard !flags.has("--workers") || workers == 1 else {
                throw UsageError("--workers \(workers): with LAB_GRADE_CHECKS_AS the students are graded one at a time (each check's end kills every process of that user)")
            }
            workers = 1
        }
        let limit = flags.has("--limit") ? try flags.int("--limit", min: 1, max: 86_400) : ClassGrading.defaultLimit(chosen)
        let klass = ClassGrading(lab: lab, exercises: chosen, only: flags.string("--only"), scratch: scratchDir, out: out,
                                 workers: workers, limit: limit)
        let start = ContinuousClock.now
        let grades = try klass.run(all, names: names)
        let csv = out.appendingPathComponent("grades.csv")
        try Grade.csv(grades, chosen).write(to: csv, atomically: true, encoding: .utf8)
        let failed = grades.filter { $0.note != nil }
        print("graded \(names.count) submission(s) in \(ClassProgress.clock((ContinuousClock.now - start).seconds)), "
              + "\(min(workers, names.count)) at a time" + (failed.isEmpty ? "" : "; \(failed.count) not graded (see the note column)"))
        print("wrote \(csv.path), and each student's results.json in \(out.appendingPathComponent("students").path)")
        if !failed.isEmpty { exit(1) }  // a script must see that some were not graded
        return
    }

    let submission = try folder("--submission")
    let g = try grader.grade(chosen, submission: submission, name: submission?.lastPathComponent ?? "Exercises")
    try g.gradescope(chosen).write(to: out.appendingPathComponent("results.json"), atomically: true, encoding: .utf8)
    try g.junit(chosen).write(to: out.appendingPathComponent("results.xml"), atomically: true, encoding: .utf8)
    if flags.has("--json") {
        print(JSON.encode(g))
    } else {
        print(g.table(chosen), terminator: "")
    }
}
