import Foundation
import LabKit
import LabSched
import LabTesting
@testable import Scenarios
import XCTest

/// Explores with a watchdog: nothing here may hang the suite.
func explored(_ s: Scenario, _ strategy: Strategy = .exhaustive(preemptions: 2), schedules: Int = 2_000,
              limits: Limits = Limits(steps: 300), until: @escaping @Sendable (Exploration) -> Bool = { _ in false },
              keep: @escaping @Sendable (Schedule) -> Void = { _ in }) throws -> Exploration {
    try withWatchdog(120, "exploring \(s.name)") {
        Explorer.explore(s, strategy: strategy, maxSchedules: schedules, limits: limits, stopWhen: until, onSchedule: { _, schedule in keep(schedule) })
    }
}

/// Stops once every bug the scenario has is found.
func foundBugs(of s: Scenario, except: Set<FailureKind> = []) -> @Sendable (Exploration) -> Bool {
    let wanted = s.bugs.subtracting(except)
    return { wanted.isSubset(of: Set($0.failures.map(\.kind))) }
}

final class ExplorerTests: LabTestCase {
    /// The lecture's count: two loads and two stores interleave in 6 ways; n ends at 2 in 2 of
    /// them (one thread's load and store, then the other's) and at 1 in the other 4. Starting and
    /// ending the threads are rows but not choices (wg.Go folds Add into the start and Done into
    /// the end), so the explorer's schedules are exactly these 6.
    func testCounterHasTheLecturesSixSchedules() throws {
        let e = try explored(counter)
        XCTAssertTrue(e.complete)
        XCTAssertEqual(e.schedules, 6)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: e.outcomes.map { ($0.outcome, $0.schedules) }), ["n = 1": 4, "n = 2": 2])
        XCTAssertEqual(e.failures.map(\.kind), [.race])
        XCTAssertEqual(e.failures.first?.schedules, 6, "the race is there on every schedule, whatever n ends at")
    }

    func testEveryBuggyScenarioShowsItsBugWithItsKind() throws {
        for s in scenarios where !s.bugs.isEmpty {
            let e = try explored(s, until: foundBugs(of: s))
            let found = Set(e.failures.map(\.kind))
            XCTAssertTrue(s.bugs.isSubset(of: found), "\(s.name): expected \(s.bugs.sorted()), found \(found.sorted())")
        }
    }

    func testEveryCorrectScenarioIsCleanOverItsWholeBoundedSpace() throws {
        for s in scenarios where s.bugs.isEmpty {
            let e = try explored(s)
            XCTAssertTrue(e.complete, "\(s.name): \(e.schedules) schedules did not cover the space")
            XCTAssertEqual(e.failures, [], "\(s.name)")
            XCTAssertEqual(e.outcomes.map(\.outcome), [rightDecision], "\(s.name)")
        }
    }

    /// PCT finds every bug; a random walk finds every bug but the endless spin, which needs the
    /// voters kept from running for 300 steps: a random scheduler is fair in the long run.
    func testPCTAndRandomFindTheBugsToo() throws {
        for s in scenarios where !s.bugs.isEmpty {
            let pct = Set(try explored(s, .pct(seed: 1, depth: 3), schedules: 500, until: foundBugs(of: s)).failures.map(\.kind))
            XCTAssertTrue(s.bugs.isSubset(of: pct), "\(s.name), PCT: found \(pct.sorted())")
            let random = Set(try explored(s, .random(seed: 1), schedules: 500, until: foundBugs(of: s, except: [.stepLimit])).failures.map(\.kind))
            XCTAssertTrue(s.bugs.subtracting([.stepLimit]).isSubset(of: random), "\(s.name), random: found \(random.sorted())")
        }
        let spin = try explored(voteSpin, .random(seed: 1), schedules: 500)
        XCTAssertEqual(spin.failures, [], "a random walk lets the voters run long before 300 steps")
    }

    /// A schedule's printed name brings back the very same rows, outcome and failures.
    func testReplayingANameReproducesTheScheduleExactly() throws {
        for s in scenarios {
            let kept = LockedBox<[String: Schedule]>([:])
            _ = try explored(s, schedules: 100, keep: { schedule in kept.withValue { $0[schedule.name] = $0[schedule.name] ?? schedule } })
            for (name, original) in kept.value.sorted(by: { $0.key < $1.key }).prefix(10) {
                let again = try Explorer.replay(s, name: name, limits: Limits(steps: 300))
                XCTAssertEqual(again, original, "\(s.name) \(name)")
            }
        }
    }

    func testANameThatDoesNotFitIsRefused() throws {
        XCTAssertThrowsError(try Explorer.replay(counter, name: "1.9")) {
            XCTAssertTrue("\($0)".contains("it picks thread 9, which cannot run (threads that can: 1, 2)"), "\($0)")
        }
        XCTAssertThrowsError(try Explorer.replay(counter, name: "1.1.1.1.1")) {
            XCTAssertTrue("\($0)".contains("left over"), "\($0)")
        }
        XCTAssertThrowsError(try Explorer.replay(counter, name: "one")) {
            XCTAssertTrue("\($0)".contains("is not a schedule's name"), "\($0)")
        }
    }

    /// A scheduler that never preempts runs each thread until it blocks or ends: it cannot see the
    /// lost update, which needs a switch between a load and its store. The check that finds the
    /// lost update fails on it, so the check can fail.
    func testASchedulerThatNeverPreemptsMissesTheLostUpdate() throws {
        final class NeverPreempts: Chooser {
            func choose(_ d: Decision) -> Int { defaultChoice(d) }
        }
        func findsLostUpdate(_ outcomes: Set<String>) -> Bool { outcomes.contains("n = 1") }
        let broken = Set(try (0..<20).map { _ in
            try withWatchdog(30, "counter without preemption") { Explorer.run(counter, chooser: NeverPreempts()).outcome ?? "" }
        })
        XCTAssertEqual(broken, ["n = 2"])
        XCTAssertFalse(findsLostUpdate(broken), "a scheduler that never preempts must miss the lost update")
        XCTAssertTrue(findsLostUpdate(Set(try explored(counter).outcomes.map(\.outcome))))
        XCTAssertEqual(try explored(counter, .exhaustive(preemptions: 0)).outcomes.map(\.outcome), ["n = 2"],
                       "bound 0 is that scheduler: the same miss")
    }

    /// With an explicit `wg.Add(1)` and `wg.Done()`, each is an operation of its own: more
    /// schedules (19 within 2 preemptions, as docs/interleavings.md says), but the same 6 orders of the loads and stores.
    func testExplicitAddAndDoneAddSchedulesButNotOrders() throws {
        let explicit = Scenario(name: "counter-explicit", summary: "", goal: "", reached: { _ in false }) {
            let n = Shared("n", 0)
            let wg = WaitGroup()
            for _ in 0..<2 {
                wg.add(1)
                go {
                    n.value = n.value + 1
                    wg.done()
                }
            }
            wg.wait()
            return "n = \(n.load())"
        }
        let orders = LockedBox<Set<[String]>>([])
        let e = try explored(explicit, keep: { s in
            let accesses = s.steps.filter { $0.thread != 0 && ($0.label.hasPrefix("load") || $0.label.hasPrefix("store")) }
            orders.withValue { _ = $0.insert(accesses.map { "t\($0.thread) \($0.label)" }) }
        })
        XCTAssertTrue(e.complete)
        XCTAssertEqual(e.schedules, 19)
        XCTAssertEqual(orders.value.count, 6)
    }

    /// The pictures in docs/interleavings.md are what `explore --svg` draws today.
    func testTheDocsPicturesAreCurrent() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/img")
        for (name, scenario, schedule) in [("counter-1.2.1", "counter", "1.2.1"), ("vote-cond-signal-deadlock", "vote-cond-signal", "0.1.2.0.3.1")] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("explore-\(getpid())-\(name).svg")
            defer { try? FileManager.default.removeItem(at: file) }
            let r = try Programs.run("explore", [scenario, "--replay", schedule, "--svg", file.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(try String(contentsOf: file, encoding: .utf8),
                           try String(contentsOf: docs.appendingPathComponent("\(name).svg"), encoding: .utf8),
                           "docs/img/\(name).svg is out of date: swift run explore \(scenario) --replay \(schedule) --svg docs/img/\(name).svg")
        }
    }
}
