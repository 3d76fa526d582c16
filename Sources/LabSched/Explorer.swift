import LabKit
import Foundation

/// How to pick the schedules to run.
public enum Strategy: Sendable, Equatable {
    /// Every schedule with at most `preemptions` preemptions, depth first.
    case exhaustive(preemptions: Int)
    /// Each choice uniformly at random.
    case random(seed: UInt64)
    /// Probabilistic concurrency testing with bug depth `depth`.
    case pct(seed: UInt64, depth: Int)

    public var description: String {
        switch self {
        case .exhaustive(let p): return "exhaustive, at most \(p) preemption\(p == 1 ? "" : "s")"
        case .random(let seed): return "random, seed \(seed)"
        case .pct(let seed, let depth): return "PCT depth \(depth), seed \(seed)"
        }
    }
}

/// How many schedules reached one outcome, and the first of them.
public struct OutcomeCount: Codable, Sendable, Equatable {
    public var outcome: String
    public var schedules: Int
    public var first: String
}

/// How many schedules failed in one way, the first of them and what it said.
public struct FailureCount: Codable, Sendable, Equatable {
    public var kind: FailureKind
    public var schedules: Int
    public var first: String
    public var message: String
}

/// What an exploration found.
public struct Exploration: Codable, Sendable {
    public var scenario: String
    public var strategy: String
    public var schedules: Int
    /// True when an exhaustive search covered every schedule within its bound.
    public var complete: Bool
    /// Rows run, over every schedule.
    public var steps: Int
    /// Hand-overs of the baton from one thread to another, over every schedule.
    public var handOffs = 0
    public var seconds: Double
    /// Seconds until the first failing schedule ended, if one did.
    public var firstFailureSeconds: Double?
    public var outcomes: [OutcomeCount]
    public var failures: [FailureCount]
    /// Why the exploration stopped early, if it did.
    public var stopped: String?
}

public enum Explorer {
    /// Runs `scenario` under `strategy` until the space is covered (exhaustive) or `maxSchedules`
    /// have run. `onSchedule` sees each schedule as it ends (for progress, or to keep failures).
    public static func explore(_ scenario: Scenario, strategy: Strategy, maxSchedules: Int, limits: Limits = Limits(),
                               stopAtFirstFailure: Bool = false, stopWhen: (Exploration) -> Bool = { _ in false },
                               onSchedule: (Int, Schedule) -> Void = { _, _ in }) -> Exploration {
        let start = ContinuousClock.now
        var result = Exploration(scenario: scenario.name, strategy: strategy.description, schedules: 0, complete: false,
                                 steps: 0, seconds: 0, outcomes: [], failures: [])
        result.handOffs = 0
        var outcomeIndex: [String: Int] = [:]
        var failureIndex: [FailureKind: Int] = [:]
        let dfs: DepthFirst? = if case .exhaustive(let p) = strategy { DepthFirst(bound: p) } else { nil }
        var walk: RandomWalk? = if case .random(let seed) = strategy { RandomWalk(seed: seed) } else { nil }
        var pctSeed: SplitMix64? = if case .pct(let seed, _) = strategy { SplitMix64(seed: seed) } else { nil }
        var longest = 0

        while result.schedules < maxSchedules {
            let chooser: Chooser
            switch strategy {
            case .exhaustive: chooser = dfs!
            case .random: chooser = walk!
            case .pct(_, let depth): chooser = PCT(seed: pctSeed!.next(), depth: depth, steps: max(longest, 10))
            }
            let s = execute(scenario.program, chooser: chooser, limits: limits)
            result.schedules += 1
            result.steps += s.steps.count
            result.handOffs += s.handOffs
            longest = max(longest, s.steps.count)
            let outcome = s.outcome ?? "(main did not return)"
            if let i = outcomeIndex[outcome] {
                result.outcomes[i].schedules += 1
            } else {
                outcomeIndex[outcome] = result.outcomes.count
                result.outcomes.append(OutcomeCount(outcome: outcome, schedules: 1, first: s.name))
            }
            for kind in s.kinds.sorted() {
                if let i = failureIndex[kind] {
                    result.failures[i].schedules += 1
                } else {
                    failureIndex[kind] = result.failures.count
                    result.failures.append(FailureCount(kind: kind, schedules: 1, first: s.name,
                                                        message: s.failures.first { $0.kind == kind }!.message))
                }
            }
            if s.failed, result.firstFailureSeconds == nil { result.firstFailureSeconds = seconds(since: start) }
            onSchedule(result.schedules, s)
            if let diverged = dfs?.diverged {
                result.stopped = "the program is not deterministic under a fixed schedule: \(diverged)"
                break
            }
            if s.kinds.contains(.stuck) {
                result.stopped = "a thread is stuck, so no further schedule can run"
                break
            }
            if stopAtFirstFailure && s.failed { break }
            if stopWhen(result) { break }
            if let dfs, !dfs.advance() {
                result.complete = true
                break
            }
        }
        _ = walk
        walk = nil
        result.seconds = seconds(since: start)
        result.outcomes.sort { ($0.schedules, $1.outcome) > ($1.schedules, $0.outcome) }
        return result
    }

    /// Runs the schedule that `name` picks. Throws when the name does not fit the scenario.
    public static func replay(_ scenario: Scenario, name: String, limits: Limits = Limits()) throws -> Schedule {
        guard let choices = ScheduleName.decode(name, limit: limits.steps) else {
            throw ReplayError("'\(name)' is not a schedule's name: its parts are thread numbers, such as 1.2.1 or 0x40.1 (40 times 0, then 1), "
                + "at most \(limits.steps) in all")
        }
        let replay = Replay(choices)
        let s = execute(scenario.program, chooser: replay, limits: limits)
        if let m = replay.mismatch { throw ReplayError("schedule \(name) does not fit \(scenario.name): \(m)") }
        if replay.leftOver > 0 {
            throw ReplayError("schedule \(name) does not fit \(scenario.name): it ends with \(replay.leftOver) choice\(replay.leftOver == 1 ? "" : "s") left over")
        }
        return s
    }

    /// Runs `scenario` with real threads in the order the OS gives.
    public static func runNatively(_ scenario: Scenario, limits: Limits = Limits()) -> Schedule {
        execute(scenario.program, chooser: nil, limits: limits)
    }

    /// Runs `scenario` with `chooser` deciding (a person playing the scheduler).
    public static func run(_ scenario: Scenario, chooser: Chooser, limits: Limits = Limits()) -> Schedule {
        execute(scenario.program, chooser: chooser, limits: limits)
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

public struct ReplayError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
