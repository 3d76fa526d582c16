/// What can go wrong in one schedule.
public enum FailureKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// A `check` in the scenario did not hold.
    case assertion
    /// Every thread waits and nothing can wake it: Go's "all goroutines are asleep - deadlock!".
    case deadlock
    /// Two threads took the same mutexes in opposite orders (directly, or through others): on
    /// some schedule each holds one and waits for the other, even when this one finished.
    case lockOrder = "lock-order"
    /// Main returned while other threads were blocked for ever: they leak.
    case leak
    /// Two accesses to a `Shared` value, at least one a store, that nothing orders.
    case race
    /// The schedule ran past the step limit: a spin that never ends on this schedule.
    case stepLimit = "step-limit"
    /// What Go would panic on: unlocking an unlocked mutex, closing a closed channel, ...
    case panic
    /// A lab thread ran too long without an operation of LabSched: an endless loop, or blocking
    /// on something the scheduler cannot see (a Foundation lock, a real sleep).
    case stuck

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public struct Failure: Sendable, Codable, Equatable {
    public var kind: FailureKind
    public var message: String
    /// The row of the schedule where it showed (0-based), if it is one row.
    public var step: Int?
}
