import Foundation
import LabKit
import LabHarness

/// Grades a class: every folder of `--submissions` is one student's copy of `Exercises/`, graded
/// by a `grade --submission` process of its own, by as many workers as there are cores, each
/// with a scratch folder of its own (a build folder serves one grading at a time). A grading that
/// crashes or hangs costs that student's row only, and the row says why.
struct ClassGrading {
    let lab: URL
    let exercises: [Exercise]
    let only: String?
    let scratch: URL
    let out: URL
    let workers: Int
    /// The most one student's grading may take, its build included.
    let limit: Int

    /// The program run for each student: this one, unless `LAB_GRADE_PROGRAM` names another (the
    /// tests use it to stand in a grading that crashes or hangs).
    static var program: URL {
        if let p = ProcessInfo.processInfo.environment["LAB_GRADE_PROGRAM"], !p.isEmpty { return URL(fileURLWithPath: p) }
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// A student's limit when none is given: the longest build the grader waits for, then every
    /// exercise's checks, then a margin for the grader's own work.
    static func defaultLimit(_ exercises: [Exercise]) -> Int {
        Scratch.buildSeconds + exercises.map(\.seconds).reduce(0, +) + 120
    }

    /// The folders in `folder` that are submissions (not hidden, not files).
    static func submissions(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDir)
                && isDir.boolValue
        }.sorted()
    }

    /// Worker `k`'s scratch folder: the first uses the grader's own (warm from `make grade`).
    func scratch(of worker: Int) -> URL {
        worker == 1 ? scratch : scratch.appendingPathComponent("worker-\(worker)")
    }

    /// What a dead grading started is looked for every second while the others run: Foundation's
    /// `Process` learns that a process ended only once every process holding its end of a socket
    /// pair (a grandchild inherits it) has ended too, so a grading killed for hanging would
    /// otherwise be waited for as long as whatever it had started lived on.
    func run(_ folder: URL, names: [String]) throws -> [Grade] {
        Reaper.endAllOnSignals()
        Thread.start(named: "reaper") {
            while true {
                Thread.sleep(forTimeInterval: 1)
                Reaper.killLeftovers()
            }
        }
        let studentsOut = out.appendingPathComponent("students")
        let next = LockedBox(0)
        let finished = LockedBox<[Grade]>([])
        let progress = ClassProgress(total: names.count, workers: min(workers, names.count))
        @Sendable func work(_ worker: Int) {
            while true {
                let i = next.withValue { n -> Int in defer { n += 1 }; return n }
                guard i < names.count else { return }
                let g = grade(folder.appendingPathComponent(names[i]), name: names[i], worker: worker,
                              out: studentsOut.appendingPathComponent(names[i]))
                let done = finished.withValue { $0.append(g); return $0.count }
                progress.finished(g, done: done)
            }
        }
        // Worker 1 is this thread; a worker whose thread cannot be had leaves its share to the others.
        let group = DispatchGroup()
        let count = min(workers, names.count)
        if count >= 2 {
            for worker in 2...count {
                group.enter()
                if !Thread.start(named: "grade worker \(worker)", { work(worker); group.leave() }) { group.leave() }
            }
        }
        work(1)
        group.wait()
        progress.end()
        return finished.value.sorted { $0.submission < $1.submission }
    }

    /// One student, in a process of its own; never throws: what went wrong is the row's note.
    func grade(_ submission: URL, name: String, worker: Int, out: URL) -> Grade {
        let clock = ContinuousClock()
        let start = clock.now
        func failed(_ why: String) -> Grade {
            Grade(submission: name, results: [], seconds: (clock.now - start).seconds, note: "not graded: " + why)
        }
        do {
            try? FileManager.default.removeItem(at: out)  // nothing of an earlier grading may stand beside this one's row
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let r = try Reaper.own { started in
                try Subprocess.run(Self.program, ["--submission", submission.path, "--scratch", scratch(of: worker).path,
                                                  "--out", out.path, "--json"] + (only.map { ["--only", $0] } ?? []),
                                   directory: lab, timeout: .seconds(limit), started: started)
            }
            Reaper.killLeftovers()  // what that grading started and left, if it was killed or crashed
            if !r.stderr.isEmpty { try? Data(r.stderr.utf8).write(to: out.appendingPathComponent("notes.txt")) }
            if r.timedOut { return failed("the grading did not finish within \(limit) s (see --limit)") }
            let said = Runner.lastLines(r.stderr, 2)
            if r.signalled { return failed("the grading crashed (signal \(r.status))" + (said.isEmpty ? "" : ": " + said)) }
            guard r.status == 0 else { return failed("the grading failed (status \(r.status))" + (said.isEmpty ? "" : ": " + said)) }
            var g = try JSONDecoder().decode(Grade.self, from: Data(r.stdout.utf8))
            g.submission = name
            return g
        } catch {
            return failed("\(error)")
        }
    }
}

/// What a class grading shows while it runs: on a terminal, a bar with the time left; when piped,
/// a line per student as each is done.
final class ClassProgress: @unchecked Sendable {  // unchecked: `lock` guards the counts
    private let total: Int
    private let workers: Int
    private let start = ContinuousClock.now
    private let lock = NSLock()
    private var done = 0
    private let bar = Terminal.standardError
    private let lines = !Terminal.standardOutput.isInteractive || !Terminal.standardError.isInteractive

    init(total: Int, workers: Int) {
        self.total = total
        self.workers = workers
        guard bar.isInteractive else { return }
        draw()
        Thread.start(named: "progress") { [self] in
            while lock.withLock({ done < total }) {
                Thread.sleep(forTimeInterval: 1)
                draw()
            }
        }
    }

    func finished(_ g: Grade, done n: Int) {
        lock.withLock { done = n }
        if lines {
            let what = g.note ?? "\(g.score)/\(g.maxScore)"
            Terminal.standardOutput.write("[\(n)/\(total)] \(g.submission): \(what) (\(Int(g.seconds.rounded())) s)\n")
        }
        draw()
    }

    func end() {
        lock.withLock { done = total }
        bar.clearProgress()
    }

    private func draw() {
        guard bar.isInteractive else { return }
        let n = lock.withLock { done }
        let elapsed = (ContinuousClock.now - start).seconds
        let width = 24
        let filled = total == 0 ? width : width * n / total
        let eta = n == 0 ? "ETA after the first student" : "ETA " + Self.clock(elapsed / Double(n) * Double(total - n))
        bar.progress("grade: [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] "
                      + "\(n)/\(total) students, \(min(workers, total - n)) at a time, \(Self.clock(elapsed)) so far, \(eta)")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s < 60 ? "\(s)s" : "\(s / 60)m\(String(format: "%02d", s % 60))s"
    }
}
