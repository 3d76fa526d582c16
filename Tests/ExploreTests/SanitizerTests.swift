import Foundation
import LabKit
import LabSched
import LabTesting
@testable import Scenarios
import XCTest

/// A plain field that lab threads share: not a `Shared` value, so only ThreadSanitizer can see
/// its races.
final class Box: @unchecked Sendable {
    var n = 0
}

/// A program whose only shared memory is `Box.n`, ordered (or not) by what `share` does.
func plainProgram(_ name: String, _ share: @escaping @Sendable (Box) -> Void) -> Scenario {
    Scenario(name: name, summary: "", goal: "", reached: { _ in false }) {
        let box = Box()
        share(box)
        return "n = \(box.n)"
    }
}

/// The lecture's counter on a plain variable, with or without a lab mutex around `n += 1`.
func plainCounter(locked: Bool) -> Scenario {
    plainProgram(locked ? "plain counter, locked" : "plain counter") { box in
        let mu = Mutex("mu")
        let wg = WaitGroup()
        for _ in 0..<2 {
            wg.go {
                if locked { mu.lock() }
                box.n += 1
                if locked { mu.unlock() }
            }
        }
        wg.wait()
    }
}

/// Under controlled schedules, ThreadSanitizer watches the code under test: the scheduler's
/// hand-overs order nothing it can see, and the primitives order what Go's memory model says.
final class SanitizerTests: LabTestCase {
    /// The fixture: an unlocked `n += 1` on a plain field in two lab threads is reported on every
    /// schedule, as a failure of that schedule, and replaying its name reports it again. (Before
    /// the scheduler's hand-overs ran unseen, no schedule reported it: each hand-over through a
    /// condition ordered one thread's accesses before the next thread's.)
    func testAnUnlockedPlainVariableIsReportedOnEverySchedule() throws {
        try RaceCheck.requireThreadSanitizer()
        var e: Exploration?
        let reports = try RaceCheck.racesDuring { e = try explored(plainCounter(locked: false)) }
        let exploration = try XCTUnwrap(e)
        XCTAssertTrue(exploration.complete)
        XCTAssertGreaterThanOrEqual(reports, exploration.schedules, "one report a schedule at least")
        let race = try XCTUnwrap(exploration.failures.first { $0.kind == .race }, "no schedule failed with a race")
        XCTAssertEqual(race.schedules, exploration.schedules)
        XCTAssertTrue(race.message.hasPrefix("ThreadSanitizer reported a data race on memory that is not Shared"), race.message)
        var again: Schedule?
        let replayed = try RaceCheck.racesDuring {
            again = try Explorer.replay(plainCounter(locked: false), name: race.first, limits: Limits(steps: 300))
        }
        XCTAssertGreaterThan(replayed, 0)
        XCTAssertEqual(again?.kinds, [.race])
    }

    /// Natively too: the one lock every operation takes orders nothing ThreadSanitizer sees. A
    /// native run is the machine's schedule, not ours: one in which the first thread has ended
    /// before the second starts is ordered by what the run does between them (CI met one), and
    /// has no race to report. So up to 10 runs, until one reports: every run that reports must
    /// fail with the race, and one must.
    func testAnUnlockedPlainVariableIsReportedNatively() throws {
        try RaceCheck.requireThreadSanitizer()
        var reported = 0
        for run in 1...10 {
            var r: Schedule?
            let reports = try RaceCheck.racesDuring {
                r = try withWatchdog(60, "plain counter natively") { Explorer.runNatively(plainCounter(locked: false)) }
            }
            XCTAssertEqual(r?.kinds, reports > 0 ? [.race] : [], "run \(run): \(reports) report(s)")
            if reports > 0 {
                reported = run
                break
            }
        }
        XCTAssertGreaterThan(reported, 0, "no native run of 10 reported the race")
        print("native race: reported in run \(reported)")
    }

    /// No false report: every order the primitives promise is told to ThreadSanitizer, so there
    /// is no report on any schedule
    /// when a plain field is handed over by a mutex (also one unlocked by another thread), a
    /// mutex and its condition, a channel (unbuffered both ways, buffered, as a semaphore,
    /// closed) or a WaitGroup.
    func testWhatThePrimitivesOrderIsNotReported() throws {
        try RaceCheck.requireThreadSanitizer()
        let programs: [Scenario] = [
            plainCounter(locked: true),
            plainProgram("cond") { box in
                let mu = Mutex("mu")
                let cond = Cond(mu)
                let ready = Box()  // guarded by mu: ThreadSanitizer sees it too
                go {
                    box.n = 1
                    mu.lock()
                    ready.n = 1
                    cond.broadcast()
                    mu.unlock()
                }
                mu.lock()
                while ready.n == 0 { cond.wait() }
                mu.unlock()
                box.n += 1
            },
            plainProgram("unbuffered send, then receive") { box in
                let ch = Chan<Int>("ch")
                go { box.n = 1; ch.send(1) }
                _ = ch.receive()
                box.n += 1
            },
            plainProgram("unbuffered receive, then the send returns") { box in
                let ch = Chan<Int>("ch")
                let done = Chan<Int>("done")
                go {
                    box.n = 1
                    _ = ch.receive()
                    _ = done.receive()
                }
                ch.send(1)
                box.n += 1  // ordered after the receiver's write: the send completes after the receive
                done.send(0)
            },
            plainProgram("buffered") { box in
                let ch = Chan<Int>("ch", capacity: 2)
                go { box.n = 1; ch.send(1) }
                _ = ch.receive()
                box.n += 1
            },
            plainProgram("close") { box in
                let ch = Chan<Int>("ch")
                go { box.n = 1; ch.close() }
                _ = ch.receive()
                box.n += 1
            },
            plainProgram("buffered, as a semaphore") { box in
                let sem = Chan<Int>("sem", capacity: 1)
                let wg = WaitGroup()
                for _ in 0..<2 {
                    wg.go {
                        sem.send(1)
                        box.n += 1
                        _ = sem.receive()
                    }
                }
                wg.wait()
            },
            plainProgram("a mutex unlocked by another thread") { box in
                let mu = Mutex("mu")
                mu.lock()
                go {
                    box.n = 1
                    mu.unlock()
                }
                mu.lock()
                box.n += 1
                mu.unlock()
            },
            plainProgram("waitgroup") { box in
                let wg = WaitGroup()
                wg.add(1)
                go { box.n = 1; wg.done() }
                wg.wait()
                box.n += 1
            },
        ]
        for p in programs {
            var e: Exploration?
            let reports = try RaceCheck.reportsDuring { e = try explored(p) }
            XCTAssertEqual(reports.count, 0, "\(p.name): \(reports.first)")
            XCTAssertEqual(e?.failures.map(\.kind), [], p.name)
            XCTAssertEqual(e?.outcomes.map(\.outcome), ["n = 2"], p.name)
            var r: Schedule?
            let native = try RaceCheck.reportsDuring {
                r = try withWatchdog(60, "\(p.name) natively") { Explorer.runNatively(p) }
            }
            XCTAssertEqual(native.count, 0, "\(p.name), natively: \(native.first)")
            XCTAssertEqual(r?.failures, [], p.name)
        }
    }

    /// A sleep orders nothing in Go, and nothing here: a write, then another thread's read after
    /// a longer sleep, is a race on every schedule (virtual time, which only the scheduler sees).
    func testASleepOrdersNothing() throws {
        try RaceCheck.requireThreadSanitizer()
        let p = plainProgram("sleep") { box in
            go { box.n = 1 }
            sleep(.milliseconds(10))
            box.n += 1
        }
        var e: Exploration?
        let reports = try RaceCheck.racesDuring { e = try explored(p) }
        XCTAssertGreaterThan(reports, 0)
        XCTAssertEqual(e?.failures.map(\.kind), [.race])
    }
}
