import Foundation
import LabKit
import LabHarness

/// Runs an exercise's checks in processes of their own and learns each check's fate only from
/// the record its process wrote when the check ended (`GradeRecorder` in Tests/LabTesting).
/// Nothing the student's code prints counts, and a check whose process crashed, hung, or exited
/// before the check ended has no record: it gets no points.
struct Runner {
    let program: URL
    let directory: URL

    typealias Record = GradeRecord

    struct Outcome {
        var records: [String: Record] = [:]  // by check name
        var result: Subprocess.Result?
    }

    /// The most a check's process may hold in memory (resident), ThreadSanitizer's shadow included.
    static let memoryLimit = 3 << 30

    /// Processes the code under test left running, killed after its check process ended.
    private let leftovers = LockedBox<[String]>([])
    var killedLeftovers: [String] { leftovers.value }

    /// Runs `selector` ("ExerciseChecks.CrawlDepthChecks", or one check of it) within `seconds`.
    func run(_ selector: String, seconds: Int) throws -> Outcome {
        let user = try ChecksUser.configured.get()
        let recordFile = try RecordFile(for: user)
        defer { recordFile.remove() }
        let nonce = UUID().uuidString
        var env = ProcessInfo.processInfo.environment
        env[GradeRecord.fileVariable] = recordFile.file.path
        // A crash must end the process on its signal, so that the grader can tell it from an exit:
        // ThreadSanitizer would otherwise catch the signal, report it, and exit with status 0.
        env["TSAN_OPTIONS"] = "handle_segv=0:handle_sigbus=0:handle_abort=0:handle_sigill=0:handle_sigfpe=0:handle_sigtrap=0"
        env["SWIFT_BACKTRACE"] = "enable=no"  // no crash reporter: it would outlive the process and hold its pipes
        let (command, arguments) = user?.command(program, [selector]) ?? (program, [selector])
        let result = try Reaper.own { started in
            try Subprocess.run(command, arguments, environment: env, directory: directory, timeout: .seconds(seconds),
                               memoryLimit: Self.memoryLimit, input: Data((nonce + "\n").utf8), started: started)
        }
        // Nothing the submission started may outlive its check, nor touch the records below: what
        // slipped out of the grader's sight (a chain of forks outrunning the sweep) still runs as
        // the checks' user, and ends with every other process of that user.
        var left = Reaper.killLeftovers()
        if let user { left += try user.killAll() }
        leftovers.withValue { $0 += left }
        var outcome = Outcome(result: result)
        let text = String(decoding: recordFile.read(), as: UTF8.self)
        for line in text.split(separator: "\n") {
            guard let r = try? JSONDecoder().decode(Record.self, from: Data(line.utf8)), r.nonce == nonce else { continue }
            let check = String(r.test.split(separator: ".").last ?? "")
            outcome.records[check] = r
        }
        return outcome
    }

    /// Every check of `e`: all in one process first; any check left without a record (its process
    /// crashed, hung or exited) is run again alone, so that one bad check costs only itself.
    ///
    /// The exercise's `seconds` bound all of it: the checks run again alone share what the first
    /// process left of them, so a submission that hangs every check (blocking Swift's task pool,
    /// say) is graded within its exercise's limit.
    func grade(_ e: Exercise) throws -> [CheckResult] {
        let suite = "ExerciseChecks.\(e.checksClass)"
        let deadline = ContinuousClock.now + .seconds(e.seconds)
        let all = try run(suite, seconds: e.seconds)
        var results: [CheckResult] = []
        var missing = e.checks.filter { all.records[$0.name] == nil }.count
        for check in e.checks {
            var record = all.records[check.name]
            var why = all.result.map { whyNoRecord($0, seconds: e.seconds) } ?? ""
            if record == nil {
                let share = Int((deadline - ContinuousClock.now).seconds) / max(missing, 1)
                missing -= 1
                if share >= 5 {
                    let alone = try run("\(suite)/\(check.name)", seconds: share)
                    record = alone.records[check.name]
                    why = alone.result.map { whyNoRecord($0, seconds: share) } ?? why
                } else {
                    why += (why.isEmpty ? "" : "; ") + "not run again alone: the exercise's \(e.seconds) s were used up"
                }
            }
            results.append(Self.result(e, check, record, why))
        }
        return results
    }

    /// Every check of `e`, each in a process of its own, all at once: `make watch`'s verdicts,
    /// which wait for the slowest check rather than for the sum of them (most checks wait on
    /// sleeping voters and slow pages, not on the cores). A check that fails beside the others
    /// runs again alone before it counts as failed: its neighbours must not fail a check of timing.
    func gradeSideBySide(_ e: Exercise) throws -> [CheckResult] {
        // With a checks' user, each check's end kills every process of that user: one at a time.
        if try ChecksUser.configured.get() != nil { return try grade(e) }
        let suite = "ExerciseChecks.\(e.checksClass)"
        let outcomes = LockedBox<[String: Result<Outcome, any Error>]>([:])
        let done = DispatchSemaphore(value: 0)
        // As many at once as the memory holds (a check under ThreadSanitizer takes up to 1.5 GB).
        let slots = DispatchSemaphore(value: max(2, Int(ProcessInfo.processInfo.physicalMemory / (3 << 29))))
        for check in e.checks {
            let body: @Sendable () -> Void = {
                slots.wait()
                defer { slots.signal() }
                let outcome = Result { try run("\(suite)/\(check.name)", seconds: e.seconds) }
                outcomes.withValue { $0[check.name] = outcome }
                done.signal()
            }
            if !Thread.start(named: check.name, body) { body() }
        }
        for _ in e.checks { done.wait() }
        var results: [CheckResult] = []
        for check in e.checks {
            let outcome = try outcomes.value[check.name]!.get()
            var r = Self.result(e, check, outcome.records[check.name], outcome.result.map { whyNoRecord($0, seconds: e.seconds) } ?? "")
            if r.status == .failed {  // not one that hung: it would hang alone as well, and take as long again
                let alone = try run("\(suite)/\(check.name)", seconds: e.seconds)
                r = Self.result(e, check, alone.records[check.name], alone.result.map { whyNoRecord($0, seconds: e.seconds) } ?? "")
            }
            results.append(r)
        }
        return results
    }

    static func result(_ e: Exercise, _ check: Exercise.Check, _ record: Record?, _ why: String) -> CheckResult {
        var r = CheckResult(exercise: e.folder, check: check.name, points: 0, maxPoints: check.points, status: .didNotFinish, message: why)
        guard let record else { return r }
        r.message = record.message
        switch record.status {
        case "passed":
            r.status = .passed
            r.points = check.points
        case "skipped":
            r.status = record.message.hasPrefix("not attempted") ? .notAttempted : .skipped
        default:
            r.status = .failed
        }
        return r
    }

    /// Why a check's process ended without recording the check.
    func whyNoRecord(_ r: Subprocess.Result, seconds: Int) -> String {
        if r.overMemory { return "used more than \(Self.memoryLimit >> 30) GB of memory; the grader stopped it" }
        if r.timedOut { return "did not finish within \(seconds) s: a deadlock, a lost wake-up or an endless loop; the grader stopped it" }
        if r.signalled {
            let fatal = (r.stderr + r.stdout).split(separator: "\n").first { ["Fatal error", "Precondition failed", "Assertion failed", "Unexpectedly found nil"].contains(where: $0.contains) }
            let own = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("lab-crash-frame ") }.joined(separator: "\n")
            let at = CrashFrames.studentFrame(in: r.stderr, program: program).map { " at \($0)" } ?? ""
            return "crashed (signal \(r.status))\(at)" + (fatal.map { ": " + $0 } ?? ": " + Self.lastLines(own, 4))
        }
        if r.status == 75 {  // ExerciseCase ends the process when tasks of an earlier check still block the pool
            return "not run with the others: tasks of an earlier check never ended and blocked Swift's task pool"
        }
        return "the process exited (status \(r.status)) before this check finished: the code under test must not exit the process"
    }

    static func lastLines(_ text: String, _ n: Int = 8) -> String {
        text.split(separator: "\n").suffix(n).joined(separator: "\n")
    }
}
