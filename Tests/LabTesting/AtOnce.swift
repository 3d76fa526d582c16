import Foundation
import LabKit
import Synchronization

/// How threads released together ended.
public enum AtOnceOutcome: Equatable, CustomStringConvertible {
    case finished
    /// No thread reported progress for the stall time: they wait for each other.
    case stalled(seconds: Double)
    /// Still making progress when the time was up: work that never ends, or a machine far too slow.
    case timedOut(seconds: Double)
    /// The process could not start that many threads (out of threads or memory).
    case notStarted

    public var description: String {
        switch self {
        case .finished: "finished"
        case .stalled(let s): "stopped: no thread made progress for \(s.formatted()) s, they wait for each other (a deadlock)"
        case .timedOut(let s): "still running after \(s.formatted()) s"
        case .notStarted: "could not start: the process could start no more threads"
        }
    }
}

/// Runs `body(thread, round, tick)` on `count` threads of their own, `rounds` times each, every
/// round released together: the threads meet at a spinning barrier before each round, so their
/// calls land on the cores within a fraction of a microsecond, which is when a check-then-act bug
/// or a lock-order deadlock shows. Over the network or on the task pool, calls arrive microseconds
/// apart and such bugs hide. (A condition variable's broadcast wakes threads one after another,
/// tens of microseconds apart: too late for a window of a few.)
///
/// Each round counts as progress; a body that loops for long calls `tick()` now and then. When no
/// thread has moved for `stall` seconds they are stuck, and the caller hears so at once rather
/// than at the time limit. Threads stuck then (a deadlock) are abandoned, and threads still at the
/// barrier stop spinning: a body must not touch the caller's stack.
public func onThreadsAtOnce(_ count: Int, rounds: Int = 1, within seconds: Double, stall: Double = 2,
                            named name: String = "lab-at-once",
                            _ body: @escaping @Sendable (_ thread: Int, _ round: Int, _ tick: @escaping @Sendable () -> Void) -> Void)
    -> AtOnceOutcome {
    let barrier = SpinBarrier(count)
    let state = AtOnceState()
    let tick: @Sendable () -> Void = { state.ticks.add(1, ordering: .relaxed) }
    for i in 0..<count {
        let started = Thread.start(named: "\(name)-\(i)") {
            defer { state.ended.add(1, ordering: .releasing) }
            for round in 0..<rounds {
                guard barrier.wait() else { return }
                body(i, round, tick)
                tick()
            }
        }
        guard started else {
            barrier.abandon()  // the threads already started stop at the barrier
            return .notStarted
        }
    }
    let start = ContinuousClock.now
    var lastTicks = -1
    var lastMove = start
    while state.ended.load(ordering: .acquiring) < count {
        let now = ContinuousClock.now
        let ticks = state.ticks.load(ordering: .relaxed)
        if ticks != lastTicks {
            lastTicks = ticks
            lastMove = now
        } else if now - lastMove >= .seconds(stall) {
            barrier.abandon()
            return .stalled(seconds: stall)
        }
        if now - start >= .seconds(seconds) {
            barrier.abandon()
            return .timedOut(seconds: seconds)
        }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return .finished
}

private final class AtOnceState: Sendable {
    let ticks = Atomic<Int>(0)
    let ended = Atomic<Int>(0)
}

/// A barrier whose waiters spin (yielding the core now and then) rather than sleep, so that all
/// leave it at nearly the same instant.
private final class SpinBarrier: Sendable {
    let count: Int
    let arrived = Atomic<Int>(0)
    let generation = Atomic<Int>(0)
    let abandoned = Atomic<Bool>(false)

    init(_ count: Int) { self.count = count }

    /// Waits for the others; false when the barrier was abandoned.
    func wait() -> Bool {
        let gen = generation.load(ordering: .acquiring)
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == count {
            arrived.store(0, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            return true
        }
        var spins = 0
        while generation.load(ordering: .acquiring) == gen {
            if abandoned.load(ordering: .relaxed) { return false }
            spins += 1
            // More threads than free cores: let the others run, or no one arrives.
            if spins % 64 == 0 { sched_yield() }
        }
        return true
    }

    func abandon() { abandoned.store(true, ordering: .relaxed) }
}
