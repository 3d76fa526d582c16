import Foundation
import LabKit
import LabHarness
import LabTesting
import XCTest

/// Proof that the grader is right: it runs `grade` as an instructor does, on the submissions kept
/// in `Tests/Submissions`, and checks every check's verdict. The reference scores full marks, the
/// stubs zero, and each broken submission loses exactly the checks its flaw should cost.
///
/// The grader builds with ThreadSanitizer in a scratch folder of its own (`.build-grade-proof`),
/// so these tests run in the first pass of `make test` only.
final class GraderTests: LabTestCase {
    static let lab = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let submissions = lab.appendingPathComponent("Tests/Submissions")

    struct Graded: Decodable {
        struct Check: Decodable {
            var exercise: String
            var check: String
            var points: Int
            var maxPoints: Int
            var status: String
            var message: String
        }
        var results: [Check]
        var seconds: Double
        var score: Int { results.map(\.points).reduce(0, +) }
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        if RaceDetector.isEnabled {
            throw XCTSkip("skipped: the grader proof runs in the first pass of make test (the grader itself builds with ThreadSanitizer)")
        }
        guard FileManager.default.fileExists(atPath: Self.submissions.path) else {
            throw XCTSkip("skipped: Tests/Submissions is not here (a handout has no solutions)")
        }
    }

    /// What the last `grade` printed on standard error (its notes to the instructor).
    var lastStderr = ""

    /// Runs `grade` from the lab's folder with `arguments` and returns its JSON verdict.
    func grade(_ arguments: [String], limit: Double = 600, file: StaticString = #filePath, line: UInt = #line) throws -> Graded {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("grade-proof-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("grade"),
                                   arguments + ["--json", "--scratch", ".build-grade-proof", "--out", out.path],
                                   directory: Self.lab, timeout: .seconds(limit))
        XCTAssertFalse(r.timedOut, "grade \(arguments.joined(separator: " ")) did not finish within \(Int(limit)) s", file: file, line: line)
        XCTAssertEqual(r.status, 0, "grade failed: \(r.stderr)", file: file, line: line)
        lastStderr = r.stderr
        let graded = try JSONDecoder().decode(Graded.self, from: Data(r.stdout.utf8))
        // What an instructor uploads must say the same as the table.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("results.json"))) as? [String: Any]
        XCTAssertEqual(json?["score"] as? Int, graded.score, "results.json's score", file: file, line: line)
        XCTAssertEqual((json?["tests"] as? [Any])?.count, graded.results.count, "results.json has a test per check", file: file, line: line)
        let junit = try String(contentsOf: out.appendingPathComponent("results.xml"), encoding: .utf8)
        XCTAssertEqual(junit.components(separatedBy: "<testcase ").count - 1, graded.results.count, "results.xml has a testcase per check", file: file, line: line)
        return graded
    }

    func testReferenceSolutionsScoreFullMarks() throws {
        let g = try grade(["--submission", Self.submissions.appendingPathComponent("reference").path])
        XCTAssertEqual(g.results.count, 32, "every check of the six exercises")
        for r in g.results where r.status != "passed" {
            XCTFail("reference \(r.exercise) \(r.check): \(r.status): \(r.message)")
        }
        XCTAssertEqual(g.score, 60)
    }

    /// Right solutions in styles other than the reference's (an actor, a pool of workers, POSIX's
    /// mutex and condition, an AsyncStream, lock striping with an atomic, a recursive lock) score
    /// full marks: the checks judge what the code does, not how it is written.
    func testOtherRightStylesScoreFullMarks() throws {
        let g = try grade(["--submission", Self.submissions.appendingPathComponent("other-styles").path])
        XCTAssertEqual(g.results.count, 32, "every check of the six exercises")
        for r in g.results where r.status != "passed" {
            XCTFail("other-styles \(r.exercise) \(r.check): \(r.status): \(r.message)")
        }
    }

    func testStubsScoreZeroAsNotAttempted() throws {
        let g = try grade([])
        for r in g.results where r.status != "not attempted" {
            XCTFail("stub \(r.exercise) \(r.check): \(r.status), expected not attempted: \(r.message)")
        }
        XCTAssertEqual(g.score, 0)
    }

    /// Each broken submission, the checks it must fail (all others of its exercise must pass), and
    /// the status those get.
    static let broken: [(name: String, exercise: String, fails: [String], status: String)] = [
        ("racy", "05", ["testNoRaces"], "failed"),
        ("fetches-twice", "01", ["testTourWebAtEveryDepth", "testGeneratedWebs", "testShorterPathFoundLater"], "failed"),
        ("ignores-depth", "01", ["testTourWebAtEveryDepth", "testGeneratedWebs", "testShorterPathFoundLater"], "failed"),
        ("exceeds-bound", "02", ["testNeverMoreThanMaxInFlight"], "failed"),
        ("busy-waits", "03", ["testDoesNotBusyWait"], "failed"),
        ("deadlocks", "03", ["testDecidesCorrectly", "testOtherElectionSizes", "testDecidesPromptly", "testEveryWaiterHearsIt",
                             "testDoesNotBusyWait", "testNoRaces"], "failed"),
        ("leaks-voters", "04", ["testLeavesNothingBehind"], "failed"),
        ("crashes", "06", ["testDuplicateGetsTheFirstReply", "testExactlyOnceOverALossyNetwork", "testMemoryIsBounded"], "did not finish"),
        ("forges-output", "01", ["testTourWebAtEveryDepth", "testGeneratedWebs", "testShorterPathFoundLater",
                                 "testFetchesInParallel", "testDoesNotWaitForSlowPages", "testNothingLeftRunning", "testNoRaces"],
         "did not finish"),
        ("sequential", "01", ["testFetchesInParallel", "testDoesNotWaitForSlowPages"], "failed"),
        ("waits-for-levels", "01", ["testDoesNotWaitForSlowPages"], "failed"),
        ("depth-at-start", "01", ["testShorterPathFoundLater"], "failed"),
        ("refollows-once", "01", ["testShorterPathFoundLater"], "failed"),
        ("returns-early", "01", ["testTourWebAtEveryDepth", "testGeneratedWebs", "testShorterPathFoundLater", "testNothingLeftRunning",
                                 "testFetchesInParallel", "testDoesNotWaitForSlowPages", "testNoRaces"], "failed"),
        ("batches", "02", ["testKeepsMaxInFlightBusy"], "failed"),
        ("sleeps", "03", ["testDecidesPromptly"], "failed"),
        ("waits-for-all", "04", ["testDecidesPromptly", "testGivesUpAtTheDeadline"], "failed"),
        ("lost-appends", "05", ["testNoLostAppends"], "failed"),
        ("miscounts", "05", ["testEachCallAlone", "testCallsServedIsExact"], "failed"),
        ("remembers-everything", "06", ["testMemoryIsBounded"], "failed"),
        ("no-filter", "06", ["testDuplicateGetsTheFirstReply", "testExactlyOnceOverALossyNetwork"], "failed"),
        ("reads-after-unlock", "03", ["testNoRaces"], "failed"),
        ("level-barrier", "02", ["testKeepsMaxInFlightBusy"], "failed"),
        ("lies-about-memory", "06", ["testMemoryIsBounded"], "failed"),
        ("stores-pieces", "06", [], "failed"),  // right in another style: every check passes
        ("swaps-in-order", "05", ["testSwapsKeepEveryValue"], "failed"),
        ("peeks-before-lock", "05", ["testNoRaces"], "failed"),
        ("tests-then-records", "06", ["testDuplicateGetsTheFirstReply"], "failed"),
        ("tests-then-inserts", "01", ["testGeneratedWebs", "testDoesNotWaitForSlowPages"], "failed"),
        ("signals-one", "03", ["testEveryWaiterHearsIt"], "failed"),
        ("loses-late", "03", ["testDecidesPromptly"], "failed"),
        ("polls", "03", ["testDoesNotBusyWait"], "failed"),
        ("polls-slowly", "03", ["testDoesNotBusyWait"], "failed"),
        ("ignores-deadline", "04", ["testGivesUpAtTheDeadline"], "failed"),
        ("one-lock", "05", ["testCallsOnDifferentKeysOverlap"], "failed"),
        ("swaps-take-turns", "05", ["testCallsOnDifferentKeysOverlap"], "failed"),
        ("serial-queue", "06", [], "failed"),  // right in another style: every check passes
        ("does-nothing", "01", ["testTourWebAtEveryDepth", "testGeneratedWebs", "testShorterPathFoundLater",
                                "testFetchesInParallel", "testDoesNotWaitForSlowPages", "testNothingLeftRunning", "testNoRaces"], "failed"),
        ("does-nothing", "02", ["testFindsEveryURLOnce", "testNeverMoreThanMaxInFlight", "testKeepsMaxInFlightBusy", "testNoRaces"], "failed"),
        ("does-nothing", "03", ["testDecidesCorrectly", "testOtherElectionSizes", "testDecidesPromptly", "testEveryWaiterHearsIt",
                                "testDoesNotBusyWait", "testNoRaces"], "failed"),
        ("does-nothing", "04", ["testDecidesCorrectly", "testGivesUpAtTheDeadline", "testDecidesPromptly", "testLeavesNothingBehind",
                                "testNoRaces"], "failed"),
        ("allocates-too-much", "01", ["testTourWebAtEveryDepth", "testGeneratedWebs", "testShorterPathFoundLater",
                                      "testFetchesInParallel", "testDoesNotWaitForSlowPages", "testNothingLeftRunning", "testNoRaces"],
         "did not finish"),
    ]

    /// Graded in rounds: each round takes the next broken submission of every exercise and grades
    /// them together, as one student's submission (each exercise is built and run on its own, so
    /// they cannot touch each other), which builds and links once where each alone would.
    func testEachBrokenSubmissionLosesExactlyItsPoints() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.lab.appendingPathComponent("Exercises").path)
        var queues: [String: [(name: String, exercise: String, fails: [String], status: String)]] = [:]
        for b in Self.broken { queues[b.exercise, default: []].append(b) }
        while queues.values.contains(where: { !$0.isEmpty }) {
            let round = queues.keys.sorted().compactMap { queues[$0]!.isEmpty ? nil : queues[$0]!.removeFirst() }
            var parts: [String: String] = [:]
            for b in round {
                let folder = try XCTUnwrap(folders.first { $0.hasPrefix(b.exercise + "-") })
                parts[folder] = b.name
            }
            let submission = try compose(parts)
            defer { try? FileManager.default.removeItem(at: submission) }
            let g = try grade(["--submission", submission.path, "--only", round.map(\.exercise).joined(separator: ",")], limit: 900)
            for b in round {
                let mine = g.results.filter { $0.exercise.hasPrefix(b.exercise + "-") }
                XCTAssertFalse(mine.isEmpty, "\(b.name): no checks graded")
                for r in mine {
                    let want = b.fails.contains(r.check) ? b.status : "passed"
                    XCTAssertEqual(r.status, want, "\(b.name), \(r.exercise) \(r.check): \(r.message)")
                    if r.status != "passed" {
                        XCTAssertEqual(r.points, 0)
                        XCTAssertFalse(r.message.isEmpty, "\(b.name), \(r.check): a check that fails must say why")
                        XCTAssertFalse(r.message.hasPrefix("XCT") || r.message.contains(" failed: (\"") || r.message.hasPrefix("threw error"),
                                       "\(b.name), \(r.check): XCTest's own words in front of the message: \(r.message)")
                    }
                    if b.name == "crashes" && r.status != "passed" {
                        XCTAssertTrue(r.message.hasPrefix("crashed (signal 4) at AtMostOnce.swift:18 in AtMostOnceKV.append("),
                                      "a crash names the student's line: \(r.message)")
                    }
                    if b.name == "allocates-too-much" {
                        XCTAssertEqual(r.message, "used more than 3 GB of memory; the grader stopped it", r.check)
                    }
                }
                let lost = mine.filter { $0.status != "passed" }.map(\.maxPoints).reduce(0, +)
                XCTAssertEqual(mine.map(\.points).reduce(0, +), mine.map(\.maxPoints).reduce(0, +) - lost, b.name)
            }
        }
    }

    /// A submission whose exercise 02 does not compile still gets exercise 01 graded in full.
    func testACompileErrorCostsOnlyItsExercise() throws {
        try assertBuildErrorCostsOnly02("does-not-compile", names: "CrawlBounded.swift", "the compiler's error names the file")
    }

    /// A link error is pinned on the exercise whose object file the linker names: the others are graded.
    func testALinkErrorCostsOnlyItsExercise() throws {
        try assertBuildErrorCostsOnly02("does-not-link", names: "lab_fixture_function_nobody_defines", "the linker's error names the symbol")
    }

    /// The table a student reads shows a compile error once for its exercise, not once per check,
    /// and points a Go habit that Swift 6 refuses to the page that explains it.
    func testACompileErrorIsShownOnceWithWhereTheDocsExplainIt() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("grade-table-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("grade"),
                                   ["--submission", Self.submissions.appendingPathComponent("captures-a-var").path, "--only", "03",
                                    "--scratch", ".build-grade-proof", "--out", out.path],
                                   directory: Self.lab, timeout: .seconds(600))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "mutation of captured var 'count'").count - 1, 2,
                       "the error once in the table's row and once under next:, not once for each of 03's 5 checks: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("docs/votes.md, section 1"), r.stdout)
        let json = try String(contentsOf: out.appendingPathComponent("results.json"), encoding: .utf8)
        XCTAssertEqual(json.components(separatedBy: "mutation of captured var").count - 1, 1,
                       "results.json (what Gradescope shows per check) holds the error once, at 03's first check: \(json)")
    }

    /// Grades the reference 01 beside `broken`'s 02: 01 passes in full, every check of 02 did not
    /// compile, with a message that contains `names`.
    func assertBuildErrorCostsOnly02(_ broken: String, names: String, _ why: String,
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let mixed = try compose(["01-crawl-depth": "reference", "02-crawl-bounded": broken])
        defer { try? FileManager.default.removeItem(at: mixed) }
        let g = try grade(["--submission", mixed.path, "--only", "01,02"], file: file, line: line)
        for r in g.results {
            if r.exercise == "01-crawl-depth" {
                XCTAssertEqual(r.status, "passed", "\(r.check): \(r.message)", file: file, line: line)
            } else {
                XCTAssertEqual(r.status, "did not compile", r.check, file: file, line: line)
                XCTAssertTrue(r.message.contains(names), "\(why): \(r.message)", file: file, line: line)
            }
        }
    }

    /// A process the submission starts and never ends (it ignores SIGTERM) is killed before any
    /// result is written: when grade exits, nothing of the submission is running.
    func testNothingOfTheSubmissionOutlivesGrading() throws {
        func stragglers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid in
                guard Int(pid) != nil, let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let cmd = String(decoding: raw.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                return cmd.contains("lab-fixture-straggler") ? "\(pid): \(cmd)" : nil
            }
        }
        XCTAssertEqual(stragglers(), [], "left from an earlier run")
        let g = try grade(["--submission", Self.submissions.appendingPathComponent("leaves-a-process").path, "--only", "01"])
        for r in g.results { XCTAssertEqual(r.status, "passed", "\(r.check): \(r.message)") }
        XCTAssertEqual(stragglers(), [], "the submission's process outlived grading")
        XCTAssertTrue(lastStderr.contains("01-crawl-depth/CrawlDepth.swift: processes (Process()"), lastStderr)
        XCTAssertTrue(lastStderr.contains("killed"), "the instructor is told what was killed: \(lastStderr)")
    }

    /// A submission whose tasks block Swift's task pool hangs every check of its exercise. The
    /// grader still finishes the exercise within its `seconds` (120), each check failing with what
    /// hung: checks run again alone share what the first process left of that time.
    func testABlockedTaskPoolIsGradedWithinTheExercisesLimit() throws {
        let start = ContinuousClock.now
        let g = try grade(["--submission", Self.submissions.appendingPathComponent("blocks-the-pool").path, "--only", "04"])
        let took = (ContinuousClock.now - start).seconds
        XCTAssertEqual(g.results.count, 5)
        for r in g.results {
            XCTAssertNotEqual(r.status, "passed", r.check)
            XCTAssertTrue(r.message.contains("task pool") || r.message.contains("did not finish"), "\(r.check): \(r.message)")
        }
        XCTAssertLessThan(took, 120 + 30, "04's checks may take 120 s in all (and the build a few more)")
    }

    /// `--submissions`: a folder per student, one CSV row each.
    func testGradingAClassWritesOneRowPerSubmission() throws {
        let klass = FileManager.default.temporaryDirectory.appendingPathComponent("class-\(UUID().uuidString)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("class-out-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: klass)
            try? FileManager.default.removeItem(at: out)
        }
        let alice = try compose(["01-crawl-depth": "reference", "04-vote-stream": "leaks-voters"])
        try FileManager.default.createDirectory(at: klass, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: alice, to: klass.appendingPathComponent("alice"))
        try FileManager.default.createDirectory(at: klass.appendingPathComponent("bob"), withIntermediateDirectories: true)
        // One worker: a second would build the checks from nothing in a scratch folder of its own.
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("grade"),
                                   ["--submissions", klass.path, "--only", "01,04", "--scratch", ".build-grade-proof", "--out", out.path,
                                    "--workers", "1"],
                                   directory: Self.lab, timeout: .seconds(600))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("[1/2] alice: 18/20"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[2/2] bob: 0/20"), r.stdout)
        let csv = try String(contentsOf: out.appendingPathComponent("grades.csv"), encoding: .utf8)
        XCTAssertEqual(csv, "submission,score,max_score,01-crawl-depth,04-vote-stream,note\nalice,18,20,10,8,\nbob,0,20,0,0,\n")
        let alices = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("students/alice/results.json"))) as? [String: Any]
        XCTAssertEqual(alices?["score"] as? Int, 18, "each student's results.json, for upload")
    }

    /// A student's file that is a link, a pipe or too big is refused with a reason, never read:
    /// a link could show the grader's own files in the results, a pipe would hang the grading.
    func testALinkAPipeOrAHugeFileIsRefusedNotRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for e in ["01-crawl-depth", "02-crawl-bounded", "03-vote-cond"] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(e), withIntermediateDirectories: true)
        }
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("01-crawl-depth/CrawlDepth.swift").path, withDestinationPath: "/etc/passwd")
        XCTAssertEqual(mkfifo(dir.appendingPathComponent("02-crawl-bounded/CrawlBounded.swift").path, 0o644), 0)
        try Data(count: 2 << 20).write(to: dir.appendingPathComponent("03-vote-cond/VoteCond.swift"))
        let g = try grade(["--submission", dir.path, "--only", "01,02,03"], limit: 120)
        let messages = Dictionary(g.results.map { ($0.exercise, $0.message) }) { a, _ in a }
        XCTAssertEqual(messages["01-crawl-depth"], "not graded: 01-crawl-depth/CrawlDepth.swift is a symbolic link; hand in the file itself")
        XCTAssertEqual(messages["02-crawl-bounded"], "not graded: 02-crawl-bounded/CrawlBounded.swift is not a plain file (a folder, a pipe or a device)")
        XCTAssertEqual(messages["03-vote-cond"], "not graded: 03-vote-cond/VoteCond.swift is 2097152 bytes; the most the grader reads is 1048576")
        XCTAssertEqual(g.score, 0)
    }

    /// Code under test that swells the file its check writes its record in to 8 GB (a hole: no
    /// disk; Fixtures/swells-its-record): the grader reads 4 MB of a record at most, so it stays
    /// small and goes on, and the checks get no points. (Read whole, as it was, the grader's memory
    /// passed the 2 GB this test allows it.)
    func testARecordFileSwollenTo8GBDoesNotSwellTheGrader() throws {
        let fixture = Self.lab.appendingPathComponent("Tests/GraderTests/Fixtures/swells-its-record")
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("grade"),
                                   ["--submission", fixture.path, "--only", "01", "--json", "--scratch", ".build-grade-proof",
                                    "--out", FileManager.default.temporaryDirectory.appendingPathComponent("grade-swells-\(UUID().uuidString)").path],
                                   directory: Self.lab, timeout: .seconds(120), memoryLimit: 2 << 30)
        XCTAssertFalse(r.overMemory, "the grader took more than 2 GB: it read a record file whole")
        XCTAssertEqual(r.status, 0, r.stderr)
        let g = try JSONDecoder().decode(Graded.self, from: Data(r.stdout.utf8))
        XCTAssertEqual(g.results.count, 7)
        XCTAssertEqual(g.score, 0, "\(g.results.map { "\($0.check): \($0.message)" })")
    }

    /// `make watch`, piped: a file that is missing is one line, and the watch goes on; once the
    /// file is saved, the exercise is checked (without ThreadSanitizer, then with it: the grade)
    /// and the verdict is one line; a folder with no exercises is one line and exit 2.
    func testWatchChecksEachSave() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("03-vote-cond"), withIntermediateDirectories: true)
        let saved = LockedBox(false)
        Thread.start(named: "student") {
            Thread.sleep(forTimeInterval: 3)
            try? FileManager.default.copyItem(at: Self.submissions.appendingPathComponent("reference/03-vote-cond/VoteCond.swift"),
                                              to: dir.appendingPathComponent("03-vote-cond/VoteCond.swift"))
            saved.set(true)
        }
        // A watch runs until `q`: this one is stopped once it has said the exercise is done (or after 120 s).
        let watch = Process()
        watch.executableURL = Programs.directory.appendingPathComponent("grade")
        watch.arguments = ["--watch", "03", "--submission", dir.path, "--scratch", ".build-grade-proof"]
        watch.currentDirectoryURL = Self.lab
        let out = Pipe()
        watch.standardOutput = out
        watch.standardError = FileHandle.nullDevice
        watch.standardInput = FileHandle.nullDevice
        try watch.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + 150) { if watch.isRunning { watch.terminate() } }  // a watchdog for the loop below
        var text = ""
        let deadline = ContinuousClock.now + .seconds(120)
        while !text.contains("is done."), ContinuousClock.now < deadline, case let chunk = out.fileHandleForReading.availableData, !chunk.isEmpty {
            text += String(decoding: chunk, as: UTF8.self)
        }
        watch.terminate()
        watch.waitUntilExit()
        XCTAssertTrue(saved.value)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "03-vote-cond: 03-vote-cond/VoteCond.swift is missing; `make reset EX=03` brings back the stub. Still watching; `l` lists the others.")
        XCTAssertTrue(lines.contains { $0.hasPrefix("03-vote-cond saved: 03-vote-cond with ThreadSanitizer: 6 of 6 checks pass, 10/10 points (") }, text)
        XCTAssertTrue(lines.contains("03-vote-cond is done."), text)
        let none = try Subprocess.run(Programs.directory.appendingPathComponent("grade"), ["--watch", "next"], directory: dir)
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.hasPrefix("grade: error: run grade from the lab's folder"), none.stderr)
    }

    /// `make reset EX=03` puts back the stub, keeps the student's file, and asks first (without a
    /// terminal it will not ask: it refuses, unless told yes).
    func testResetPutsBackTheStubAndKeepsTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reset-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("03-vote-cond"), withIntermediateDirectories: true)
        let mine = dir.appendingPathComponent("03-vote-cond/VoteCond.swift")
        try Data("// my work\n".utf8).write(to: mine)
        let grade = Programs.directory.appendingPathComponent("grade")
        let asked = try Subprocess.run(grade, ["--reset", "03", "--submission", dir.path], directory: Self.lab)
        XCTAssertEqual(asked.status, 2)
        XCTAssertTrue(asked.stderr.hasPrefix("grade: error: make reset asks first"), asked.stderr)
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "// my work\n")
        let r = try Subprocess.run(grade, ["--reset", "03", "--submission", dir.path, "--yes"], directory: Self.lab)
        XCTAssertEqual(r.status, 0, r.stderr)
        let stub = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["git", "show", "HEAD:Exercises/03-vote-cond/VoteCond.swift"], directory: Self.lab)
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), stub.stdout)
        XCTAssertTrue(stub.stdout.contains("notAttempted()"))
        let kept = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent(".lab/saved/03-vote-cond").path).filter { $0.hasSuffix("VoteCond.swift") }
        XCTAssertEqual(kept.count, 1, r.stdout)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(".lab/saved/03-vote-cond/\(kept[0])"), encoding: .utf8), "// my work\n")
    }

    /// `make trace EX=03`: the failing check's election, drawn from the run with the student's code; `EX=01`: its crawl, as a table.
    func testTraceDrawsTheFailingChecksElectionOrCrawl() throws {
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("grade"),
                                   ["--trace", "03", "--submission", Self.submissions.appendingPathComponent("sleeps").path, "--scratch", ".build-grade-proof"],
                                   directory: Self.lab, timeout: .seconds(300))
        XCTAssertEqual(r.status, 0, r.stderr)
        let said = try XCTUnwrap(r.stdout.firstMatch(of: /testDecidesPromptly failed on the election with 10 voters, 5 needed, seed (\d+)\./), r.stdout)
        XCTAssertTrue(r.stdout.contains("election with 10 voters, 5 needed, seed \(said.1): outcome() returned"), "the seed of the check's own message: \(r.stdout)")
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("main ") || $0.hasPrefix("voter ") }
        XCTAssertEqual(rows.count, 11, "a row for main and one per voter: \(r.stdout)")
        XCTAssertTrue(rows.first?.contains("D") == true, "main's row shows when it decided: \(r.stdout)")

        // A crawl exercise: the crawl as a table, the fault pointed at. (fetches-twice fetches the
        // tour web's start again at another depth, whatever the timing.)
        let c = try Subprocess.run(Programs.directory.appendingPathComponent("grade"),
                                   ["--trace", "01", "--submission", Self.submissions.appendingPathComponent("fetches-twice").path, "--scratch", ".build-grade-proof"],
                                   directory: Self.lab, timeout: .seconds(300))
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("testTourWebAtEveryDepth failed on this crawl, run with your code"), c.stdout)
        XCTAssertTrue(c.stdout.contains("fetched more than once: http://golang.org/"), "the fault, named: \(c.stdout)")
        let again = c.stdout.split(separator: "\n").filter { $0.contains(" http://golang.org/ ") && $0.hasSuffix("again") }
        XCTAssertEqual(again.count, 1, "the start's second fetch is a row marked again: \(c.stdout)")
    }

    /// `make autograder` makes Gradescope's zip, and its `run_autograder`, unpacked in Gradescope's
    /// folders (moved under a temporary root), grades an upload into a results.json of Gradescope's
    /// form: the reference, a broken submission uploaded as loose files, code that tries to change
    /// the grader's files (as root: the checks run as another user), and a grader that fails.
    /// A check marked in exercise.json is shown as marked.
    func testTheAutograderGradesAsGradescopeRunsIt() throws {
        let git = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["git", "status", "--porcelain", "--", "Package.swift", "Sources", "Tests", "Exercises", "autograder"],
                                     directory: Self.lab)
        guard git.status == 0 else { throw XCTSkip("skipped: the lab is not a git checkout (make autograder packs the last commit)") }
        guard git.stdout.isEmpty else { throw XCTSkip("skipped: the lab has uncommitted changes, which make autograder refuses") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("autograder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let zip = root.appendingPathComponent("autograder.zip")
        let made = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["make", "--no-print-directory", "autograder", "ZIP=\(zip.path)", "ONLY=01"],
                                      directory: Self.lab, timeout: .seconds(120))
        XCTAssertEqual(made.status, 0, made.stdout + made.stderr)
        let source = root.appendingPathComponent("source")
        let unzip = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "zipfile", "-e", zip.path, source.path], timeout: .seconds(120))
        XCTAssertEqual(unzip.status, 0, unzip.stderr)
        for f in ["setup.sh", "run_autograder", "Dockerfile", "only", "lab/Package.swift", "lab/.swift-version",
                  "lab/Tests/Submissions/reference/01-crawl-depth/CrawlDepth.swift", "lab/Tests/Submissions/ignores-depth"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: source.appendingPathComponent(f).path), "the zip holds \(f)")
        }
        // An instructor marks two checks of 01.
        let manifest = source.appendingPathComponent("lab/Exercises/01-crawl-depth/exercise.json")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])
        json["checks"] = (json["checks"] as? [[String: Any]])?.map { c in
            var c = c
            if c["name"] as? String == "testNoRaces" { c["visibility"] = "hidden" }
            if c["name"] as? String == "testGeneratedWebs" { c["visibility"] = "after_due_date" }
            return c
        }
        try JSONSerialization.data(withJSONObject: json).write(to: manifest)

        func runAutograder(_ upload: [String: String], grader: String? = nil, environment: [String: String] = [:]) throws -> [String: Any] {
            let submission = root.appendingPathComponent("submission")
            try? FileManager.default.removeItem(at: submission)
            try FileManager.default.createDirectory(at: submission, withIntermediateDirectories: true)
            for (to, from) in upload {
                try FileManager.default.createDirectory(at: submission.appendingPathComponent(to).deletingLastPathComponent(), withIntermediateDirectories: true)
                let from = from.hasPrefix("/") ? URL(fileURLWithPath: from) : Self.submissions.appendingPathComponent(from)
                try FileManager.default.copyItem(at: from, to: submission.appendingPathComponent(to))
            }
            let r = try Subprocess.run(URL(fileURLWithPath: "/bin/bash"), [source.appendingPathComponent("run_autograder").path],
                                       environment: ProcessInfo.processInfo.environment.filter { $0.key != "LAB_GRADE_CHECKS_AS" }.merging([
                                        "AUTOGRADER_ROOT": root.path, "LAB_GRADE": grader ?? Programs.directory.appendingPathComponent("grade").path,
                                        "LAB_GRADE_SCRATCH": Self.lab.appendingPathComponent(".build-grade-proof").path].merging(environment) { $1 }) { $1 },
                                       timeout: .seconds(300))
            XCTAssertEqual(r.status, 0, r.stderr)
            let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("results/results.json"))) as? [String: Any])
            // Gradescope's spec: https://gradescope-autograders.readthedocs.io/en/latest/specs/
            XCTAssertNotNil(results["score"] as? Double, "score")
            XCTAssertNotNil(results["execution_time"] as? Double, "execution_time")
            XCTAssertNotNil(results["output"] as? String, "output")
            for t in results["tests"] as? [[String: Any]] ?? [] {
                XCTAssertNotNil(t["name"] as? String)
                XCTAssertNotNil(t["score"] as? Double)
                XCTAssertNotNil(t["max_score"] as? Double)
                XCTAssertTrue(["passed", "failed"].contains(t["status"] as? String ?? ""), "status: \(t)")
                XCTAssertNotNil(t["output"] as? String)
                XCTAssertTrue(["visible", "hidden", "after_due_date", "after_published"].contains(t["visibility"] as? String ?? ""), "visibility: \(t)")
            }
            return results
        }
        func tests(_ results: [String: Any]) -> [String: [String: Any]] {
            Dictionary((results["tests"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0) }) { a, _ in a }
        }

        let reference = try runAutograder(["01-crawl-depth": "reference/01-crawl-depth"])
        XCTAssertEqual(reference["score"] as? Int, 10, "\(reference)")
        XCTAssertEqual(tests(reference).count, 7)
        XCTAssertEqual(tests(reference)["01-crawl-depth: testNoRaces"]?["visibility"] as? String, "hidden")
        XCTAssertEqual(tests(reference)["01-crawl-depth: testGeneratedWebs"]?["visibility"] as? String, "after_due_date")
        XCTAssertEqual(tests(reference)["01-crawl-depth: testTourWebAtEveryDepth"]?["visibility"] as? String, "visible")

        // The student uploads the file alone, not its folder.
        let broken = try runAutograder(["CrawlDepth.swift": "ignores-depth/01-crawl-depth/CrawlDepth.swift"])
        let failed = tests(broken).filter { $0.value["status"] as? String == "failed" }.keys.sorted()
        XCTAssertEqual(failed, ["01-crawl-depth: testGeneratedWebs", "01-crawl-depth: testShorterPathFoundLater", "01-crawl-depth: testTourWebAtEveryDepth"])
        XCTAssertEqual(broken["score"] as? Int, 5)

        // Code under test that tries to change the grader's files (Fixtures/tampers: a crawl that
        // writes into the results folder, appends to run_autograder, and copies out a
        // reference solution). Run by root, as on
        // Gradescope, run_autograder runs the checks as another user, who cannot: here not
        // setup.sh's user (as on a machine without it) but a uid of no one's.
        if getuid() == 0 {
            let copied = "/tmp/lab-tampers-read-the-reference"
            try? FileManager.default.removeItem(atPath: copied)
            let tampers = Self.lab.appendingPathComponent("Tests/GraderTests/Fixtures/tampers/CrawlDepth.swift").path
            let noUser = ["LAB_CHECKS_USER": "no-such-user-\(getpid())"]
            let tampering = try runAutograder(["CrawlDepth.swift": tampers], environment: noUser)
            XCTAssertEqual(tests(tampering).count, 7, "graded, run as another user: \(tampering)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("results/tampered.json").path),
                           "the code under test wrote into the grader's results folder")
            XCTAssertFalse(try String(contentsOf: source.appendingPathComponent("run_autograder"), encoding: .utf8).contains("# tampered"),
                           "the code under test changed run_autograder")
            XCTAssertFalse(FileManager.default.fileExists(atPath: copied), "the code under test read a reference solution")
            try? FileManager.default.removeItem(atPath: copied)
            // And the checks pass as that uid, which has no name, no home and no group.
            let asNoOne = try runAutograder(["01-crawl-depth": "reference/01-crawl-depth"], environment: noUser)
            XCTAssertEqual(asNoOne["score"] as? Int, 10, "the reference, its checks run as a uid of no one's: \(asNoOne)")
        }

        let crashed = try runAutograder(["01-crawl-depth": "reference/01-crawl-depth"], grader: "/bin/false")
        XCTAssertEqual(crashed["score"] as? Int, 0)
        XCTAssertTrue((crashed["output"] as? String ?? "").hasPrefix("The grader failed (status 1)"), "\(crashed)")
    }

    /// A class is graded by workers at once, each in a scratch folder of its own, and a grading
    /// that crashes or hangs costs only its student's row, which says why; what a hung grading
    /// started is ended. (`fake-grade` stands in for the grading of each student.)
    func testAGradingThatCrashesOrHangsCostsOnlyItsRow() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("class-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let (klass, shared, out) = (root.appendingPathComponent("class"), root.appendingPathComponent("shared"), root.appendingPathComponent("out"))
        for name in ["alice-10", "bob-7", "carol-3", "crashes-grader", "hangs-grader", "dave-5"] {
            try FileManager.default.createDirectory(at: klass.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        let fake = Self.lab.appendingPathComponent("Tests/GraderTests/Fixtures/fake-grade")
        let r = try Subprocess.run(Programs.directory.appendingPathComponent("grade"),
                                   ["--submissions", klass.path, "--only", "01", "--workers", "2", "--limit", "3",
                                    "--scratch", root.appendingPathComponent("scratch").path, "--out", out.path],
                                   environment: ProcessInfo.processInfo.environment.merging(
                                    ["LAB_GRADE_PROGRAM": fake.path, "LAB_FAKE_SHARED": shared.path]) { $1 },
                                   directory: Self.lab, timeout: .seconds(120))
        XCTAssertFalse(r.timedOut, "the class grading waited for a hung grading (or what it started)")
        XCTAssertEqual(r.status, 1, "some were not graded: \(r.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("grades.csv"), encoding: .utf8)
        XCTAssertEqual(csv, """
            submission,score,max_score,01-crawl-depth,note
            alice-10,10,10,10,
            bob-7,7,10,7,
            carol-3,3,10,3,
            crashes-grader,,10,,not graded: the grading crashed (signal 11)
            dave-5,5,10,5,
            hangs-grader,,10,,not graded: the grading did not finish within 3 s (see --limit)

            """)
        let lines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("[") }
        XCTAssertEqual(lines.count, 6, "one line per student when piped: \(r.stdout)")
        let atOnce = (try? String(contentsOf: shared.appendingPathComponent("at-once"), encoding: .utf8))?.split(separator: "\n").compactMap { Int($0) } ?? []
        XCTAssertEqual(atOnce.max(), 2, "two gradings at once with --workers 2")
        XCTAssertFalse(FileManager.default.fileExists(atPath: shared.appendingPathComponent("shared-scratch").path),
                       "two gradings at once shared a scratch folder")
        let grandchild = try XCTUnwrap(Int32(String(contentsOf: shared.appendingPathComponent("grandchild"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        let state = (try? String(contentsOfFile: "/proc/\(grandchild)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
        XCTAssertTrue(state == nil || state == "Z", "what the hung grading started still runs (state \(state ?? ""))")
        if state != nil && state != "Z" { kill(grandchild, SIGKILL) }
    }

    func testBadInputGetsOneLineTheUsageAndExitTwo() throws {
        for (args, says) in [(["--bogus"], "unknown option '--bogus'"), (["--only", "99"], "--only: no exercise '99'"),
                             (["--submission", "/nonexistent"], "--submission: no folder"), (["--hint", "nope"], "--hint: no exercise 'nope'"),
                             (["--submissions", "Exercises/01-crawl-depth/hints"], "--submissions: 'Exercises/01-crawl-depth/hints' holds no submissions"),
                             (["--submissions", "Tests/Submissions", "--workers", "0"], "--workers must be at least 1, not 0")] {
            let r = try Subprocess.run(Programs.directory.appendingPathComponent("grade"), args, directory: Self.lab)
            XCTAssertEqual(r.status, 2, "grade \(args.joined(separator: " "))")
            XCTAssertTrue(r.stderr.hasPrefix("grade: error: \(says)"), r.stderr)
            XCTAssertTrue(r.stderr.contains("USAGE: grade"), r.stderr)
        }
    }

    /// A submission made of exercise folders taken from several kept submissions.
    func compose(_ parts: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("submission-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (exercise, from) in parts {
            try FileManager.default.copyItem(at: Self.submissions.appendingPathComponent(from).appendingPathComponent(exercise),
                                             to: dir.appendingPathComponent(exercise))
        }
        return dir
    }
}
