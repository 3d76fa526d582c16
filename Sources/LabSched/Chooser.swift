/// A point where more than one lab thread can run, and the scheduler must pick one.
public struct Decision {
    /// How many rows the schedule has so far.
    public var step: Int
    /// The threads that can run, in increasing order.
    public var enabled: [Int]
    /// The thread that ran last, if it can run again: picking another one preempts it.
    public var running: Int?

    let run: Run

    /// Every thread with its next operation, and the rows so far (for a person choosing).
    public func view() -> (threads: [ThreadView], rows: [Step], shared: [String]) { run.view() }

    /// Whether picking `thread` preempts the running thread.
    public func preempts(_ thread: Int) -> Bool { running != nil && running != thread }
}

/// Picks who runs at each decision: an exploration strategy, a replayed name, or a person.
public protocol Chooser: AnyObject {
    func choose(_ d: Decision) -> Int
}

/// The choice that changes nothing: the running thread goes on; if it cannot, the lowest-numbered
/// one that can. It is what every strategy does where it has no reason to do otherwise.
public func defaultChoice(_ d: Decision) -> Int { d.running ?? d.enabled[0] }

/// A thread as a person choosing sees it.
public struct ThreadView: Sendable {
    public var id: Int
    public var name: String
    /// What it will do next; nil once it has ended.
    public var next: String?
    public var canRun: Bool
}
