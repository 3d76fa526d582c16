import Foundation
import LabKit

/// Runs `body` on each of `items`, two at a time, and gives each item's result in the items'
/// order: for a check's many independent runs (elections, each with its own ballot box, judged by
/// its outcome alone), which then take half as long; `make watch` waits for its slowest check.
/// After the first failure no new item starts (a hang costs its watchdog once, not once per item):
/// the items not run are left out.
public func twoAtATime<T: Sendable, R: Sendable>(_ items: [T], _ body: @Sendable (T) throws -> R) -> [(T, Result<R, any Error>)] {
    let ran = LockedBox<[Int: Result<R, any Error>]>([:])
    DispatchQueue.concurrentPerform(iterations: 2) { half in
        for i in items.indices where i % 2 == half {
            let r = Result { try body(items[i]) }
            let failed = ran.withValue { (all: inout [Int: Result<R, any Error>]) -> Bool in
                all[i] = r
                return all.values.contains { if case .failure = $0 { true } else { false } }
            }
            if failed { return }
        }
    }
    let all = ran.value
    return items.indices.compactMap { i in all[i].map { (items[i], $0) } }
}
