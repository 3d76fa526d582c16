import Foundation
import LabKit
import LabSched
import LabTesting
@testable import Scenarios
import XCTest

/// Three threads that each take two of three mutexes, in a cycle: a then b, b then c, c then a.
/// No two of them take the same pair, yet on some schedule all three wait in a ring.
let threeInARing = Scenario(name: "ring", summary: "", goal: "", reached: { _ in false }) {
    let locks = [Mutex("a"), Mutex("b"), Mutex("c")]
    let wg = WaitGroup()
    for i in 0..<3 {
        wg.go {
            locks[i].lock()
            locks[(i + 1) % 3].lock()
            locks[(i + 1) % 3].unlock()
            locks[i].unlock()
        }
    }
    wg.wait()
    return "done"
}

/// Two threads that take a, then b: one order everywhere, which cannot deadlock.
let oneOrder = Scenario(name: "one order", summary: "", goal: "", reached: { _ in false }) {
    let a = Mutex("a")
    let b = Mutex("b")
    let wg = WaitGroup()
    for _ in 0..<2 {
        wg.go {
            a.lock()
            b.lock()
            b.unlock()
            a.unlock()
        }
    }
    wg.wait()
    return "done"
}

/// Mutexes taken in opposite orders are reported on the schedules that finish, not only on
/// those that deadlock: a swap that locks its keys in argument order is caught on its first run.
final class LockOrderTests: LabTestCase {
    func testOppositeOrdersAreReportedWhenTheScheduleFinishes() throws {
        // The schedule with no preemption: t1 takes and releases both, then t2 does.
        let s = try Explorer.replay(deadlock, name: "")
        XCTAssertEqual(s.outcome, "done")
        XCTAssertEqual(s.kinds, [.lockOrder])
        let f = try XCTUnwrap(s.failures.first)
        XCTAssertEqual(f.message, "lock-order inversion: t2 took a while holding b (row 9), and t1 took b while holding a (row 4): "
            + "on another schedule each can hold one and wait for the other for ever (take them in one order everywhere)")
        XCTAssertEqual(s.steps[try XCTUnwrap(f.step)].label, "a.Lock()", "the failure's row is t2's a.Lock()")
        XCTAssertEqual(s.threads[s.steps[f.step!].thread], "t2")
    }

    func testEveryScheduleThatFinishesReportsIt() throws {
        let kept = LockedBox<[Schedule]>([])
        let e = try explored(deadlock, keep: { s in kept.withValue { $0.append(s) } })
        XCTAssertTrue(e.complete)
        for s in kept.value {
            let expected: Set<FailureKind> = s.outcome == nil ? [.deadlock] : [.lockOrder]
            XCTAssertEqual(s.kinds, expected, s.name)
        }
        XCTAssertGreaterThan(kept.value.count { $0.outcome != nil }, 0)
    }

    func testACycleThroughThreeMutexesIsReported() throws {
        let s = try Explorer.replay(threeInARing, name: "")
        XCTAssertEqual(s.outcome, "done")
        XCTAssertEqual(s.kinds, [.lockOrder])
        let f = try XCTUnwrap(s.failures.first)
        XCTAssertEqual(s.steps[try XCTUnwrap(f.step)].label, "a.Lock()")
        XCTAssertEqual(s.steps[f.step!].thread, 3)
        XCTAssertEqual(f.message, "lock-order inversion: t3 took a while holding c (row 15), and t1 took b while holding a (row 5), "
            + "and t2 took c while holding b (row 10): on another schedule each can hold one and wait for the other for ever (take them in one order everywhere)")
    }

    func testOneOrderEverywhereIsClean() throws {
        let e = try explored(oneOrder)
        XCTAssertTrue(e.complete)
        XCTAssertEqual(e.failures, [])
        XCTAssertEqual(e.outcomes.map(\.outcome), ["done"])
    }
}
