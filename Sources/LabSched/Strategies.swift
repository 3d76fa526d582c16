import LabKit
/// Exhaustive depth-first search over the schedules with at most `bound` preemptions (a switch
/// away from a thread that could have gone on). Each run replays the path to the deepest choice
/// that still has an untried alternative within the bound, takes it, and goes on by
/// `defaultChoice`. When no choice is left, the whole bounded space has been covered.
public final class DepthFirst: Chooser {
    struct Node {
        var enabled: [Int]
        var running: Int?
        var preemptions: Int  // before this choice
        var chosen: Int
        var tried: Tried
    }

    /// The alternatives tried at a choice: a bit per thread, for the usual few threads.
    struct Tried {
        private var bits: UInt64 = 0
        private var more: Set<Int> = []
        init(_ first: Int) { insert(first) }
        func contains(_ t: Int) -> Bool { t < 64 ? bits & (1 << UInt64(t)) != 0 : more.contains(t) }
        mutating func insert(_ t: Int) {
            if t < 64 { bits |= 1 << UInt64(t) } else { more.insert(t) }
        }
    }

    public let bound: Int
    private var path: [Node] = []
    private var depth = 0
    /// Set when a replayed prefix met other choices than before: the program is not deterministic.
    public private(set) var diverged: String?

    public init(bound: Int) { self.bound = bound }

    public func choose(_ d: Decision) -> Int {
        defer { depth += 1 }
        if depth < path.count {
            let node = path[depth]
            if node.enabled != d.enabled || node.running != d.running {
                diverged = diverged ?? "at row \(d.step + 1) the threads that could run were \(d.enabled), not \(node.enabled) as before"
            }
            return node.chosen
        }
        let before = path.last.map { $0.preemptions + cost($0, $0.chosen) } ?? 0
        let choice = defaultChoice(d)
        path.append(Node(enabled: d.enabled, running: d.running, preemptions: before, chosen: choice, tried: Tried(choice)))
        return choice
    }

    private func cost(_ n: Node, _ choice: Int) -> Int { n.running != nil && n.running != choice ? 1 : 0 }

    /// Moves to the next schedule; false when the bounded space is exhausted.
    public func advance() -> Bool {
        depth = 0
        while var node = path.popLast() {
            if let next = node.enabled.first(where: { !node.tried.contains($0) && node.preemptions + cost(node, $0) <= bound }) {
                node.tried.insert(next)
                node.chosen = next
                path.append(node)
                return true
            }
        }
        return false
    }
}

/// At each choice, a thread picked uniformly at random.
public final class RandomWalk: Chooser {
    private var rng: SplitMix64
    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }
    public func choose(_ d: Decision) -> Int { d.enabled[Int(rng.next() % UInt64(d.enabled.count))] }
}

/// PCT (Burckhardt et al., "A Randomized Scheduler with Probabilistic Guarantees of Finding
/// Bugs", 2010): each thread gets a random priority, the highest-priority thread that can run
/// always runs, and at `depth - 1` random steps the running thread drops to the lowest priority.
/// A bug that needs d ordering constraints is found with probability at least 1/(n·k^(d-1)) per
/// run, for n threads and k steps.
public final class PCT: Chooser {
    private var rng: SplitMix64
    private var priority: [Int: Int] = [:]
    private var changePoints: [Int: Int] = [:]  // step → the priority it drops to
    private let depth: Int

    /// `steps` is an estimate of how long a schedule is, for placing the change points.
    public init(seed: UInt64, depth: Int, steps: Int) {
        rng = SplitMix64(seed: seed)
        self.depth = depth
        for i in 1..<max(depth, 1) {
            changePoints[Int(rng.next() % UInt64(max(steps, 1)))] = i
        }
    }

    public func choose(_ d: Decision) -> Int {
        for t in d.enabled where priority[t] == nil {
            priority[t] = depth + Int(rng.next() % 1_000_000)  // above every change point's
        }
        if let running = d.running, let drop = changePoints.removeValue(forKey: d.step) {
            priority[running] = drop
        }
        return d.enabled.max { priority[$0]! < priority[$1]! }!
    }
}

/// Replays a schedule's name: at each choice, the next number in it.
public final class Replay: Chooser {
    private var choices: [Int]
    private var used = 0
    public private(set) var mismatch: String?
    /// A choice past the end of the name: the default.
    public private(set) var ranOut = false

    public init(_ choices: [Int]) { self.choices = choices }

    public var leftOver: Int { choices.count - used }

    public func choose(_ d: Decision) -> Int {
        guard used < choices.count else {
            ranOut = true
            return defaultChoice(d)
        }
        let c = choices[used]
        used += 1
        if !d.enabled.contains(c) {
            mismatch = "at choice \(used) (row \(d.step + 1)) it picks thread \(c), which cannot run (threads that can: \(d.enabled.map(String.init).joined(separator: ", ")))"
        }
        return c
    }
}
