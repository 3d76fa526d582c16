import Foundation
import LabSched
import LabTesting
import XCTest

/// The explorer's own race check (vector clocks on `Shared` values) follows Go's memory model
/// where it is easy to get wrong: a buffered channel used as a semaphore orders its holders, and a
/// `Signal` by itself orders nothing.
final class MemoryModelTests: LabTestCase {
    /// Go's memory model: the kth receive on a channel of capacity C is synchronized before the
    /// (k+C)th send completes. Two threads that take a slot of a capacity-1 channel around
    /// `n += 1` never race.
    func testABufferedChannelAsASemaphoreOrdersItsHolders() throws {
        let semaphore = Scenario(name: "semaphore", summary: "", goal: "", reached: { _ in false }) {
            let sem = Chan<Int>("sem", capacity: 1)
            let n = Shared("n", 0)
            let wg = WaitGroup()
            for _ in 0..<2 {
                wg.go {
                    sem.send(1)
                    n.value += 1
                    _ = sem.receive()
                }
            }
            wg.wait()
            return "n = \(n.value)"
        }
        let e = try explored(semaphore)
        XCTAssertTrue(e.complete)
        XCTAssertEqual(e.failures, [], "a semaphore's holders are ordered")
        XCTAssertEqual(e.outcomes.map(\.outcome), ["n = 2"])
    }

    /// A write after the unlock and before the `Signal` is not ordered before the woken thread's
    /// read: the woken thread is ordered by relocking the mutex, not by the signal.
    func testASignalAloneOrdersNothing() throws {
        let signal = Scenario(name: "signal", summary: "", goal: "", reached: { _ in false }) {
            let mu = Mutex("mu")
            let cond = Cond(mu)
            let ready = Shared("ready", false)
            let n = Shared("n", 0)
            go {
                mu.lock()
                ready.value = true
                mu.unlock()
                n.value = 1  // after the unlock: only the signal comes after it
                cond.signal()
            }
            mu.lock()
            while !ready.value { cond.wait() }
            mu.unlock()
            return "n = \(n.value)"
        }
        let e = try explored(signal)
        XCTAssertTrue(e.complete)
        let race = try XCTUnwrap(e.failures.first { $0.kind == .race }, "\(e.failures)")
        XCTAssertEqual(race.schedules, e.schedules, "a race on n on every schedule")
        XCTAssertTrue(race.message.hasPrefix("data race on n:"), race.message)
    }
}
