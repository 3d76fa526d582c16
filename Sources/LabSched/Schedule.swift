/// One row of a schedule: a lab thread did one operation.
public struct Step: Sendable, Codable, Equatable {
    /// The thread that did it: 0 is main, then in the order they were started.
    public var thread: Int
    /// The operation, as the lecture's Go would write it, with what it read or returned.
    public var label: String
    /// Virtual time when it happened, in milliseconds (only `sleep` moves it).
    public var timeMs: Int
    /// Every `Shared` value after the row, in the order they were made.
    public var state: [String]
}

/// One run of a scenario under one sequence of choices, and what came of it.
public struct Schedule: Sendable, Codable, Equatable {
    /// The choices, one per step where more than one thread could run: `explore --replay` takes it.
    public var name: String
    public var threads: [String]
    public var sharedNames: [String]
    public var steps: [Step]
    /// What the scenario returned, or nil when main never returned.
    public var outcome: String?
    public var failures: [Failure]
    /// How many times one lab thread handed the baton to another.
    public var handOffs = 0

    public init(name: String, threads: [String], sharedNames: [String], steps: [Step], outcome: String?, failures: [Failure]) {
        self.name = name
        self.threads = threads
        self.sharedNames = sharedNames
        self.steps = steps
        self.outcome = outcome
        self.failures = failures
    }

    public var failed: Bool { !failures.isEmpty }
    public var kinds: Set<FailureKind> { Set(failures.map(\.kind)) }
}
