import Foundation
import LabTSan

/// How far one run may go.
public struct Limits: Sendable {
    /// Rows before a schedule counts as endless (a spin).
    public var steps: Int
    /// Wall time a lab thread may run without an operation before it counts as stuck.
    public var watchdog: Duration

    public init(steps: Int = 300, watchdog: Duration = .seconds(5)) {
        self.steps = steps
        self.watchdog = watchdog
    }
}

/// Runs `program` once as the main lab thread, under `chooser` or natively (`chooser == nil`),
/// and returns its schedule. Never hangs: a thread that runs `limits.watchdog` without an
/// operation ends the run as `stuck`, and the schedule says which.
func execute(_ program: @escaping @Sendable () -> String, chooser: Chooser?, limits: Limits) -> Schedule {
    let run = Run(mode: chooser.map { .controlled($0) } ?? .native, stepLimit: limits.steps)
    let reportsBefore = lab_tsan_report_count()
    let main = run.spawn(nil) {
        let outcome = program()
        let t = Current.required
        t.run.event(t, "returns \(outcome)") { t.run.outcome = outcome }
    }
    if run.isControlled { main.resume() }

    run.status.lock()
    var seen = run.progress
    var since = ContinuousClock.now
    var stuck = false
    while !run.ended {
        _ = run.status.wait(until: Date(timeIntervalSinceNow: 0.05))
        if run.progress != seen {
            seen = run.progress
            since = .now
        } else if ContinuousClock.now - since > limits.watchdog {
            stuck = true
            break
        }
    }
    run.readEnded()
    let holder = run.holder
    let reports = lab_tsan_report_count() - reportsBefore
    if stuck {
        // The stuck thread may come back one day: it must find the run alive, and over.
        run.abandoned = true
        _ = Unmanaged.passRetained(run)
    }
    // Under control, read under `status`, which an abandoned thread takes before it touches
    // anything; natively, under the lock of every operation (threads take it before `status`).
    if run.isControlled {
        defer { run.status.unlock() }
        return collect(run, stuck: stuck, holder: holder, limits: limits, reports: reports)
    }
    run.status.unlock()
    run.global.lock()
    defer { run.global.unlock() }
    return collect(run, stuck: stuck, holder: holder, limits: limits, reports: reports)
}

/// The schedule of a run that has ended; every thread still waiting is told to end.
private func collect(_ run: Run, stuck: Bool, holder: Int, limits: Limits, reports: Int) -> Schedule {
    // ThreadSanitizer watches what is not `Shared` (a plain variable, a class's field): its
    // reports while this schedule ran are this schedule's, and the schedule's name replays them.
    if reports > 0 {
        run.failures.append(Failure(kind: .race, message: "ThreadSanitizer reported \(reports == 1 ? "a data race" : "\(reports) data races") "
            + "on memory that is not Shared (its report names both accesses: \(String(cString: lab_tsan_log_path())))"))
    }
    if stuck {
        let name = run.isControlled ? run.threads[holder].name : "a thread"
        run.failures.append(Failure(kind: .stuck, message: "\(name) ran \(limits.watchdog) without an operation of LabSched: "
            + "an endless loop, or it blocks on something the scheduler cannot see (a Foundation lock, a real sleep)"))
        if !run.isControlled { run.aborting = true; run.global.broadcast() }
    }
    var schedule = Schedule(
        name: ScheduleName.encode(run.choices),
        threads: run.threads.map(\.name), sharedNames: run.sharedNames, steps: run.steps,
        outcome: run.outcome, failures: run.failures)
    schedule.handOffs = run.handOffs
    if run.isControlled {
        // Every thread still waiting for the baton ends where it waits.
        for t in run.threads where !t.finished && !(stuck && t.id == holder) { t.resume(abort: true) }
        run.steps = []
        run.sharedValues = []
    }
    return schedule
}
