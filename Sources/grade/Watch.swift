import Foundation
import LabKit
import LabHarness

/// `make watch`: re-checks the exercise being edited each time it is saved, as rustlings does.
/// A save (the files' content changed, then left alone for 200 ms) builds that exercise alone and
/// runs its checks: without ThreadSanitizer first, for a quick verdict, then with it, for the
/// grade (races included). It never moves on by itself: `n` goes to the next exercise once this
/// one is done. Without a terminal it prints one verdict per save and reads no keys.
struct Watch {
    let lab: URL
    /// Where the student's files are: the lab's `Exercises/`, or a submission's folder.
    let folder: URL
    let submission: URL?
    let exercises: [Exercise]
    let scratch: URL
    var current: Int
    let keys = Keys()
    let interactive = Terminal.standardOutput.isInteractive && isatty(STDIN_FILENO) == 1
    var progress: WatchProgress

    init(lab: URL, submission: URL?, exercises: [Exercise], scratch: URL, start: Exercise?) {
        self.lab = lab
        self.submission = submission
        let folder = submission ?? lab.appendingPathComponent("Exercises")
        self.folder = folder
        self.exercises = exercises
        self.scratch = scratch
        let progress = WatchProgress(file: (submission ?? lab).appendingPathComponent(".lab/progress.json"))
        self.progress = progress
        current = start.flatMap { s in exercises.firstIndex { $0.folder == s.folder } }
            ?? exercises.firstIndex { !progress.isDone($0, files: Self.contents($0, folder)) } ?? 0
    }

    /// The exercise's student files as they are now; a missing one is nil. (Plain files only, and
    /// no bigger than the grader reads: the grader says what is wrong with any other.)
    static func contents(_ e: Exercise, _ folder: URL) -> [Data?] {
        e.files.map { f in
            let path = folder.appendingPathComponent("\(e.folder)/\(f)").path
            var st = stat()
            guard lstat(path, &st) == 0 else { return nil }
            guard st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) <= Scratch.maxStudentFile else { return Data("\(st.st_mode) \(st.st_size)".utf8) }
            return FileManager.default.contents(atPath: path)
        }
    }

    mutating func run() throws {
        if interactive { keys.raw() } else { Reaper.endAllOnSignals() }
        defer { keys.restore() }
        var seen = Self.contents(exercises[current], folder)
        try check()
        var changedAt: ContinuousClock.Instant?
        while true {
            if let key = interactive ? keys.next() : nil {
                switch key {
                case "q": return
                case "r": try check()
                case "h": say(try Hints(lab: lab, state: scratch.appendingPathComponent("hints")).next(exercises[current]))
                case "l": say(list())
                case "n":
                    guard progress.isDone(exercises[current], files: seen) else { say("\(exercises[current].folder) is not done yet: every check must pass before `n`."); break }
                    guard current + 1 < exercises.count else { say("That was the last exercise. Every one is done: well done."); break }
                    current += 1
                    seen = Self.contents(exercises[current], folder)
                    try check()
                default: break
                }
            }
            let now = Self.contents(exercises[current], folder)
            if now != seen {
                seen = now
                changedAt = .now
            } else if let t = changedAt, ContinuousClock.now - t >= .milliseconds(200) {
                changedAt = nil
                try check(savedAt: t)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Both verdicts of the current exercise, each shown as soon as it is known. The build with
    /// ThreadSanitizer starts as soon as the plain one is done, and goes on while the plain
    /// checks run (they mostly sleep: elections and crawls wait on simulated networks).
    /// `savedAt`: when the save was seen (within 50 ms of it); the verdicts' times count from there.
    mutating func check(savedAt: ContinuousClock.Instant = .now) throws {
        let e = exercises[current]
        let files = Self.contents(e, folder)
        if let i = files.firstIndex(where: { $0 == nil }) {
            return say("\(e.folder): \(e.folder)/\(e.files[i]) is missing; `make reset EX=\(e.folder.prefix(2))` brings back the stub. "
                       + "Still watching; `l` lists the others.")
        }
        try Scratch(lab: lab, folder: scratch).exclusively { try checkNow(e, files, since: savedAt) }
    }

    private mutating func checkNow(_ e: Exercise, _ files: [Data?], since start: ContinuousClock.Instant) throws {
        if interactive { say("\(e.folder): checking…") }
        let plain = Grader(scratch: Scratch(lab: lab, folder: scratch, sanitized: false))
        let full = Grader(scratch: Scratch(lab: lab, folder: scratch, sanitized: true, background: true))
        let quickBuild = try plain.build([e], submission: submission, name: e.folder)
        let fullBuild = LockedBox<Result<Grader.Built, any Error>?>(nil)
        let built = DispatchSemaphore(value: 0)
        let (name, submission) = (e.folder, submission)
        Thread.start(named: "tsan build") {
            fullBuild.set(Result { try full.build([e], submission: submission, name: name) })
            built.signal()
        }
        let quick = try plain.run(quickBuild, name: e.folder, sideBySide: true)
        let quickTook = ContinuousClock.now - start
        if interactive { say(verdict(quick, e, "without ThreadSanitizer", quickTook) + "\n\(e.folder): now with ThreadSanitizer (the races)…") }
        built.wait()
        let graded = try full.run(fullBuild.value!.get(), name: e.folder, sideBySide: true)
        let took = ContinuousClock.now - start
        var passed = graded.results.allSatisfy { $0.status == .passed }
        var unconfirmed = ""
        if passed {
            // Done only as `make grade` would grade it: the checks one after another in one process,
            // within the exercise's time together (side by side, each check had it all, and a
            // failure a second chance).
            if interactive { say(verdict(graded, e, "with ThreadSanitizer", took) + "\n\(e.folder): every check passes; once more as make grade runs them…") }
            passed = try full.run(fullBuild.value!.get(), name: e.folder).results.allSatisfy { $0.status == .passed }
            if !passed {
                unconfirmed = "\n\(e.folder): but not every check passes as make grade runs them (one after another, within the exercise's "
                    + "\(e.seconds) s together): `make grade ONLY=\(e.folder.prefix(2))` says which"
            }
        }
        progress.record(e, files: files, done: passed)
        let done = progress.isDone(e, files: files) ? "\n\(e.folder) is done\(interactive ? ". Press n for the next exercise." : ".")" : unconfirmed
        say(interactive ? verdict(quick, e, "without ThreadSanitizer", quickTook) + "\n" + verdict(graded, e, "with ThreadSanitizer", took) + done
            : "\(e.folder) saved: " + verdict(graded, e, "with ThreadSanitizer", took) + " (without it: \(String(format: "%.1f", quickTook.seconds)) s)" + done)
    }

    /// A verdict: what passes, the points, and the first failing check. Without ThreadSanitizer
    /// the race checks skip (they need it), and are left to the second verdict.
    func verdict(_ g: Grade, _ e: Exercise, _ how: String, _ took: Duration) -> String {
        let racesLater = g.results.filter { $0.status == .skipped && $0.message.contains("ThreadSanitizer") }
        let counted = g.results.filter { r in !racesLater.contains { $0.check == r.check } }
        let passed = counted.filter { $0.status == .passed }.count
        var s = "\(e.folder) \(how): \(passed) of \(counted.count) checks pass"
            + (racesLater.isEmpty ? ", \(g.score)/\(g.maxScore) points" : " (race checks: with ThreadSanitizer)")
            + " (\(String(format: "%.1f", took.seconds)) s after the save)"
        if let r = counted.first(where: { $0.status != .passed }) {
            s += "\n  \(r.check): " + r.explained.split(separator: "\n").prefix(interactive ? 4 : 1).joined(separator: "\n    ")
        }
        return s
    }

    /// Every exercise: done, pending (started, not done) or not attempted.
    func list() -> String {
        exercises.enumerated().map { i, e in
            let files = Self.contents(e, folder)
            let state = progress.isDone(e, files: files) ? "done"
                : files.contains { $0 == nil } ? "missing a file"
                : files.allSatisfy { $0.map { String(decoding: $0, as: UTF8.self).contains("notAttempted()") } ?? false } ? "not attempted" : "pending"
            return "\(i == current ? ">" : " ") \(e.folder)  \(state)"
        }.joined(separator: "\n")
    }

    /// On a terminal, the screen: the exercise, the bar over all exercises, then `text`, then the
    /// keys; piped, `text` alone, as a line.
    mutating func say(_ text: String) {
        guard interactive else {
            print(text)
            fflush(nil)
            return
        }
        let e = exercises[current]
        let done = exercises.filter { progress.isDone($0, files: Self.contents($0, folder)) }.count
        let width = 30
        let bar = String(repeating: "#", count: width * done / max(exercises.count, 1)) + String(repeating: "-", count: width - width * done / max(exercises.count, 1))
        Terminal.standardOutput.write("\u{1B}[2J\u{1B}[H" + "make watch: \(e.folder), \(e.title)\n[\(bar)] \(done) of \(exercises.count) exercises done\n\n"
                                      + text.replacingOccurrences(of: "\n", with: "\r\n")
                                      + "\r\n\r\nn next (once this one is done) · h hint · l list · r re-run · q quit\r\n")
    }
}
