import Foundation
import LabKit
import LabSched
import LabTesting
import XCTest

/// A flag the test sets to let a fixture's thread go, once the explorer has given up on it.
final class Gate: @unchecked Sendable {
    private let c = NSCondition()
    private var open = false
    func wait() { c.withLock { while !open { c.wait() } } }
    func release() { c.withLock { open = true; c.broadcast() } }
    var isOpen: Bool { c.withLock { open } }
}

final class WatchdogTests: LabTestCase {
    /// A lab thread that loops without an operation of LabSched never hangs the exploration: the
    /// watchdog ends it as `stuck`, naming the thread.
    func testAThreadThatLoopsWithoutAnOperationIsReportedNotHung() throws {
        let gate = Gate()
        defer { gate.release() }
        let spin = Scenario(name: "spin", summary: "", goal: "", reached: { _ in false }) {
            go("spinner") { while !gate.isOpen {} }
            sleep(.milliseconds(1))
            return "done"
        }
        let s = try withWatchdog(30, "the explorer's own watchdog") {
            Explorer.run(spin, chooser: DepthFirst(bound: 0), limits: Limits(steps: 100, watchdog: .seconds(1)))
        }
        XCTAssertEqual(s.kinds, [.stuck])
        XCTAssertTrue(s.failures[0].message.hasPrefix("spinner ran 1.0 seconds without an operation of LabSched"), s.failures[0].message)
    }

    func testAThreadThatBlocksOutsideThePrimitivesIsReportedNotHung() throws {
        let gate = Gate()
        defer { gate.release() }
        let blocks = Scenario(name: "blocks", summary: "", goal: "", reached: { _ in false }) {
            let mu = Mutex()
            mu.lock()
            gate.wait()  // a Foundation condition: the scheduler cannot see it
            mu.unlock()
            return "done"
        }
        let e = try withWatchdog(30, "the explorer's own watchdog") {
            Explorer.explore(blocks, strategy: .exhaustive(preemptions: 2), maxSchedules: 10, limits: Limits(steps: 100, watchdog: .seconds(1)))
        }
        XCTAssertEqual(e.failures.map(\.kind), [.stuck])
        XCTAssertEqual(e.schedules, 1)
        XCTAssertEqual(e.stopped, "a thread is stuck, so no further schedule can run")
        XCTAssertTrue(e.failures[0].message.hasPrefix("main ran 1.0 seconds"), e.failures[0].message)
    }

    /// A spin that does operations is not stuck: it is a schedule too long, cut at the step limit.
    func testASpinOfOperationsEndsAtTheStepLimit() throws {
        let spin = Scenario(name: "spin", summary: "", goal: "", reached: { _ in false }) {
            let flag = Shared("flag", false)
            while !flag.load() {}
            return "done"
        }
        let s = try withWatchdog(30, "a spin") { Explorer.run(spin, chooser: DepthFirst(bound: 2), limits: Limits(steps: 50)) }
        XCTAssertEqual(s.kinds, [.stepLimit])
        XCTAssertEqual(s.steps.count, 50)
    }
}
