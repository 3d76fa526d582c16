import Foundation
import LabKit

/// Runs `body` on each of `items`, two at a time, and gives each item's result in the items'
/// order: for a check's many independent runs (elections, each with its own ballot box, judged by
/// its outcome alone), which then take half as long; `make watch` waits for its slowest check.
/// After the first failure no new item starts (a hang costs its watchdog once, not once per item):
/// the items not run are left out.
/// The halves run on this thread and on a `Thread` of their own (not `concurrentPerform`, which
/// runs them one after the other where it sees a single CPU).
public func twoAtATime<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) throws -> R) -> [(T, Result<R, any Error>)] {
    let ran = LockedBox<[Int: Result<R, any Error>]>([:])
    let run: @Sendable (Int) -> Void = { half in
        for i in items.indices where i % 2 == half {
            let r = Result { try body(items[i]) }
            let failed = ran.withValue { (all: inout [Int: Result<R, any Error>]) -> Bool in
                all[i] = r
                return all.values.contains { if case .failure = $0 { true } else { false } }
            }
            if failed { return }
        }
    }
    let other = DispatchSemaphore(value: 0)
    if !Thread.start(named: "twoAtATime", { run(1); other.signal() }) {
        run(1)  // no thread to be had: one after the other
        other.signal()
    }
    run(0)
    other.wait()
    let all = ran.value
    return items.indices.compactMap { i in all[i].map { (items[i], $0) } }
}
