/// A program to explore: the lecture's Go, written with LabSched, and what it is for.
public struct Scenario: Sendable {
    public var name: String
    /// One line for `explore --list`.
    public var summary: String
    /// What the person playing the scheduler is asked to make happen.
    public var goal: String
    public var reached: @Sendable (Schedule) -> Bool
    /// What is wrong with it, as the lecture says; empty for a correct program.
    public var bugs: Set<FailureKind>
    /// More to say under the results (what a kind of failure means for this program).
    public var note: String?
    /// The program; it runs as the main lab thread and returns its outcome ("n = 1").
    public var program: @Sendable () -> String

    public init(name: String, summary: String, goal: String, reached: @escaping @Sendable (Schedule) -> Bool,
                bugs: Set<FailureKind> = [], note: String? = nil, program: @escaping @Sendable () -> String) {
        self.name = name
        self.summary = summary
        self.goal = goal
        self.reached = reached
        self.bugs = bugs
        self.note = note
        self.program = program
    }
}
