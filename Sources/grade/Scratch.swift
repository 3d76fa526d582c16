import Foundation
import LabKit
import LabHarness

/// The package the grader builds: a copy of the lab's libraries, exercises and checks, with the
/// submission's files in place of the exercises' own. Files are rewritten only when their content
/// changes, so a second grading rebuilds only what the student changed.
struct Scratch {
    let lab: URL  // the instructor's copy of the lab
    let work: URL  // the package the grader builds
    let build: URL  // its build folder

    /// Whether the checks are built with ThreadSanitizer (the grade) or without (a quick verdict).
    let sanitized: Bool

    /// The package is shared by both builds; each has its build folder.
    /// A build that runs beside timed checks (make watch) yields the cores to them (nice 10).
    let background: Bool

    init(lab: URL, folder: URL, sanitized: Bool = true, background: Bool = false) {
        self.lab = lab
        self.sanitized = sanitized
        self.background = background
        work = folder.appendingPathComponent("work")
        build = folder.appendingPathComponent(sanitized ? "build" : "build-plain")
    }

    /// What the package needs from the lab, as in Package.swift's grading targets.
    static let copiedFromLab = ["Sources/LabTSan", "Sources/LabSys", "Sources/LabKit", "Sources/LabHarness", "Sources/LabNet", "Sources/LabRPC", "Tests/LabTesting"]

    /// Runs `body` while no other grader process uses this scratch folder (`make watch` in one
    /// terminal, `make grade` in another): each lays out the package for its own exercises, and
    /// would take the other's away in the middle of its build or its checks. The lock is a file's
    /// (flock): it goes with the process that holds it, however that process ends.
    func exclusively<T>(_ body: () throws -> T) throws -> T {
        let folder = work.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fd = open(folder.appendingPathComponent(".lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            Terminal.standardError.write("grade: waiting for another grading in \(folder.path) (make watch, or make grade in another terminal)\n")
            flock(fd, LOCK_EX)
        }
        return try body()
    }

    /// The largest student file the grader reads.
    static let maxStudentFile = 1 << 20

    /// Why `e`'s files in `submission` cannot be graded, if they cannot: each must be a plain file
    /// of at most `maxStudentFile` bytes. A link could show the grader's own files in the student's
    /// results (a compiler error quotes the line), a pipe would hang the grading, a device
    /// (`/dev/zero`) would fill its memory.
    static func refusal(_ e: Exercise, in submission: Submission?) -> String? {
        guard let submission else { return nil }
        for f in e.files {
            if case .ambiguous(let copies) = submission.place(of: f, in: e) {
                return "not graded: the submission holds \(copies.count) copies of \(f) (\(copies.prefix(3).joined(separator: ", "))); hand in one"
            }
            guard let what = submission.path(of: f, in: e) else { continue }  // absent: the stub is graded
            var st = stat()
            guard lstat(submission.root.appendingPathComponent(what).path, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                if Int(st.st_size) > maxStudentFile { return "not graded: \(what) is \(st.st_size) bytes; the most the grader reads is \(maxStudentFile)" }
            case S_IFLNK: return "not graded: \(what) is a symbolic link; hand in the file itself"
            default: return "not graded: \(what) is not a plain file (a folder, a pipe or a device)"
            }
        }
        return nil
    }

    /// Lays out the package for `exercises`, taking each one's student files from `submission`,
    /// or from the lab where the submission has none.
    func prepare(_ exercises: [Exercise], submission: Submission?) throws {
        var files: [String: Data] = [:]
        func add(tree relative: String) throws {
            let base = lab.appendingPathComponent(relative)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { return }
            for case let path as String in walker {
                let full = base.appendingPathComponent(path)
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: full.path, isDirectory: &isDir), !isDir.boolValue,
                   let data = FileManager.default.contents(atPath: full.path) {
                    files[relative + "/" + path] = data
                }
            }
        }
        files["Package.swift"] = FileManager.default.contents(atPath: lab.appendingPathComponent("Package.swift").path)
        for tree in Self.copiedFromLab { try add(tree: tree) }
        for e in exercises {
            try add(tree: "Exercises/\(e.folder)")
            let checks = "Tests/ExerciseChecks/\(e.checksClass).swift"
            files[checks] = FileManager.default.contents(atPath: lab.appendingPathComponent(checks).path)
            for f in e.files {
                if let mine = submission?.url(of: f, in: e), let data = FileManager.default.contents(atPath: mine.path) {
                    files["Exercises/\(e.folder)/\(f)"] = data
                }
            }
        }
        try sync(files)
    }

    /// Makes `work` hold exactly `files`, writing only what differs.
    func sync(_ files: [String: Data]) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        if let walker = fm.enumerator(atPath: work.path) {
            for case let path as String in walker {
                let full = work.appendingPathComponent(path)
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: full.path, isDirectory: &isDir), !isDir.boolValue, files[path] == nil {
                    try fm.removeItem(at: full)
                }
            }
        }
        for (path, data) in files {
            let full = work.appendingPathComponent(path)
            if fm.contents(atPath: full.path) == data { continue }
            try fm.createDirectory(at: full.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: full)
        }
    }

    /// The longest the grader waits for a build.
    static let buildSeconds = 900

    /// Builds the checks of `exercises` (laid out by `prepare`), with ThreadSanitizer when
    /// `sanitized`. Returns nil on success, else the compiler's output.
    func buildChecks(_ exercises: [Exercise]) throws -> String? {
        var env = ProcessInfo.processInfo.environment
        env["LAB_GRADING"] = "1"
        // The manifest learns the exercises from the environment, so SwiftPM may keep its result
        // (saves 0.4 s a build): its cache is keyed by the manifest and the environment.
        env["LAB_GRADING_EXERCISES"] = exercises.map(\.folder).joined(separator: ",")
        let r = try Reaper.own { started in
            try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), (background ? ["nice", "-n", "10"] : []) + ["swift", "build", "--build-tests"] + (sanitized ? ["--sanitize=thread"] : [])
                               + ["--manifest-cache", "local", "--package-path", work.path, "--scratch-path", build.path],
                               environment: env, timeout: .seconds(Self.buildSeconds), started: started)
        }
        if r.status == 0 { return nil }
        return r.timedOut ? "the build did not finish within \(Self.buildSeconds / 60) minutes" : r.stdout + r.stderr
    }

    /// The exercises that `output`'s compiler errors are in, each with its first errors; nil for
    /// errors the grader cannot pin on an exercise.
    func blame(_ output: String, _ exercises: [Exercise]) -> [String: [String]]? {
        var blamed: [String: [String]] = [:]
        var unknown = false
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() where line.contains(": error: ") {
            // The driver's summary of the errors above it ("clang: error: linker command failed").
            if line.contains("command failed with exit code") { continue }
            let path = String(line.prefix { $0 != ":" })
            let relative = path.hasPrefix(work.path + "/") ? String(path.dropFirst(work.path.count + 1)) : path
            var e = exercises.first {
                relative.hasPrefix("Exercises/\($0.folder)/") || relative == "Tests/ExerciseChecks/\($0.checksClass).swift"
            }
            if e == nil {
                // The linker names no source file in its error line; the object file it names, or
                // the source in the lines that follow (">>> referenced by"), is the exercise's.
                let near = lines[i..<min(lines.count, i + 6)].joined(separator: "\n")
                e = exercises.first { near.contains("/\($0.module).build/") || near.contains("Exercises/\($0.folder)/") }
            }
            guard let e else {
                unknown = true
                continue
            }
            let message = line.replacingOccurrences(of: work.path + "/", with: "")
            if !(blamed[e.folder]?.contains(message) ?? false) { blamed[e.folder, default: []].append(message) }
        }
        return unknown || blamed.isEmpty ? nil : blamed
    }

    /// The test program the build made.
    var testProgram: URL { build.appendingPathComponent("debug/LabGradingPackageTests.xctest") }
}
