import Foundation
import LabKit
import LabTSan

/// How a variant is built, which decides what "left behind" means for it.
public enum VoteStyle: String, Sendable, Codable {
    /// Voters are Threads sharing state (racy, spin, sleep, cond): voters still sleeping when main
    /// decides go on running.
    case threads
    /// Voters are tasks sending through an AsyncStream (channel): votes never read are left behind.
    case channel
    /// Voters are child tasks of a group that is cancelled at the decision (group).
    case group
}

/// The verdict on one election: what main decided, when, and what it cost.
public struct ElectionResult: Codable, Sendable {
    public var seed: UInt64
    /// What main decided: true for "received 5+ votes!".
    public var won: Bool
    /// What the votes say: true when at least `needed` of them are yes.
    public var shouldWin: Bool
    /// Main decided before the rule held (before `needed` yes votes or all answers had arrived).
    public var early: Bool
    /// When main returned its decision, since the election started.
    public var decidedMs: Double
    /// When the vote that made the rule hold arrived.
    public var ruleHeldMs: Double
    /// decidedMs − ruleHeldMs: how long main took to notice.
    public var latencyMs: Double
    /// CPU time the whole process used from the start to the decision.
    public var cpuMs: Double
    /// CPU time main's own thread used until it decided (thread-based variants; nil for tasks):
    /// what a check of main's waiting measures, blind to threads that other code left running.
    public var mainCpuMs: Double?
    /// Times main's thread went to sleep until it decided (thread-based variants; nil for tasks).
    public var mainSleeps: Int?
    /// Times main took the lock (each is one check of count and finished).
    public var checks: Int
    /// Times main was woken: from the condition variable, or by a vote arriving on the stream.
    public var wakes: Int
    /// Voters still running when main returned, plus votes that were sent and never read.
    public var leftBehind: Int
    /// ThreadSanitizer reports during the election; nil when not built with ThreadSanitizer.
    public var races: Int?
    /// Main never decided: it was still waiting 2 s after the last voter had answered.
    public var hung = false

    public var correct: Bool { won == shouldWin && !early && !hung }
}

extension Election {
    /// How long main may go on waiting after the last voter answered before it is called hung.
    public static let patience = Duration.seconds(2)

    /// Runs one election of a thread-based variant. Main runs on a Thread of its own, so that a
    /// main that never decides (vote-racy after a lost update) is given up on, not waited for.
    /// The give-up leaves that thread running: a program must exit after a hung election.
    public static func run(_ plan: ElectionPlan, style: VoteStyle, rule: DecisionRule = .lecture,
                           _ body: @escaping @Sendable (Election) -> Bool) -> (ElectionResult, [Stamped]) {
        let e = Election(plan)
        let races0 = RaceDetector.reportCount
        let cpu0 = Measure.cpuTime()
        let outcome = LockedBox<(Bool, Duration, Duration)?>(nil)
        let mainCPU = LockedBox<(Duration, Int)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            let mine0 = Measure.threadCPUTime(), sleeps0 = Measure.threadSleeps()
            let won = body(e)
            let cpu = Measure.cpuTime() - cpu0
            mainCPU.set((Measure.threadCPUTime() - mine0, Measure.threadSleeps() - sleeps0))
            let decided = e.now()
            e.record(.main, .decided(won: won))
            outcome.set((won, decided, cpu))
            done.signal()
        }.start()
        let limit = Duration.milliseconds(plan.ballots.map(\.delayMs).max() ?? 0) + patience
        guard done.wait(timeout: .now() + limit.seconds) == .success, let (won, decided, cpu) = outcome.value else {
            var (r, events) = e.verdict(won: false, decided: e.now(), cpu: Measure.cpuTime() - cpu0, style: style, rule: rule, races0: races0)
            r.hung = true
            return (r, events)
        }
        e.waitForVoters { Thread.sleep(forTimeInterval: 0.002) }
        var (result, events) = e.verdict(won: won, decided: decided, cpu: cpu, style: style, rule: rule, races0: races0)
        result.mainCpuMs = mainCPU.value?.0.milliseconds
        result.mainSleeps = mainCPU.value?.1
        return (result, events)
    }

    /// Runs one election of a task-based variant.
    public static func run(_ plan: ElectionPlan, style: VoteStyle, rule: DecisionRule = .lecture,
                           _ body: (Election) async -> Bool) async -> (ElectionResult, [Stamped]) {
        let e = Election(plan)
        let races0 = RaceDetector.reportCount
        let cpu0 = Measure.cpuTime()
        let won = await body(e)
        let cpu = Measure.cpuTime() - cpu0
        let decided = e.now()
        e.record(.main, .decided(won: won))
        for _ in 0..<200 where !e.votersDone {
            try? await Task.sleep(for: .milliseconds(2))
        }
        return e.verdict(won: won, decided: decided, cpu: cpu, style: style, rule: rule, races0: races0)
    }

    /// Every voter that was asked has voted or was cancelled. (One never asked is not running:
    /// waiting for it would only make a program that asks no one slow to grade.)
    var votersDone: Bool {
        unseen {
            buffers.dropFirst().allSatisfy { b in
                b.lock.withLock {
                    b.events.isEmpty || b.events.contains {
                        if case .voted = $0.event { true } else if case .cancelled = $0.event { true } else { false }
                    }
                }
            }
        }
    }

    /// Reads the voters' buffers without ThreadSanitizer learning from their locks. The harness
    /// looks while voters may still run: had its lock taken the voter's release, the voter's next
    /// lock would carry main's past to it, ordering main's read of a shared count before a later
    /// voter's write, and the student's race would go unreported (a main that read the count after
    /// its unlock passed the race check).
    private func unseen<T>(_ body: () -> T) -> T {
        lab_tsan_unseen_begin()
        defer { lab_tsan_unseen_end() }
        return body()
    }

    /// Waits (at most 0.4 s) for voters that main left behind, so the trace shows them finish.
    func waitForVoters(_ pause: () -> Void) {
        for _ in 0..<200 where !votersDone { pause() }
        pause()  // a voter that has voted may still be in its critical section
    }

    /// All events, in time order.
    func events() -> [Stamped] {
        unseen { buffers.flatMap { b in b.lock.withLock { b.events } } }.sorted { $0.time < $1.time }
    }

    func verdict(won: Bool, decided: Duration, cpu: Duration, style: VoteStyle, rule: DecisionRule = .lecture,
                 races0: Int) -> (ElectionResult, [Stamped]) {
        let all = events()
        let arrivals = all.compactMap { s -> (Duration, Bool)? in
            if case .voted(let yes) = s.event { return (s.time, yes) }
            return nil
        }
        let deciding = ElectionPlan.decidingIndex(arrivals.map(\.1), needed: needed, voters: voters, rule: rule)
        // When the rule would hold if every planned vote were cast: a voter that main cancelled,
        // or never asked, counts at the time its vote was due. Judged on cast votes alone, a main
        // that cancels everyone at once and decides would never look early.
        let due = (0..<voters).map { i -> (Duration, Bool) in
            let mine = all.filter { $0.who == .voter(i) }
            for s in mine { if case .voted(let yes) = s.event { return (s.time, yes) } }
            let asked = mine.first { $0.event == .asked }?.time ?? .zero
            return (asked + .milliseconds(plan.ballots[i].delayMs), plan.ballots[i].yes)
        }.sorted { $0.0 < $1.0 }
        let ruleHeld = due.isEmpty ? Duration.zero : due[ElectionPlan.decidingIndex(due.map(\.1), needed: needed, voters: voters, rule: rule)].0
        let finishedBy = all.filter { s in
            if case .voted = s.event { return s.time <= decided }
            if case .cancelled = s.event { return s.time <= decided }
            return false
        }.count
        let arrivedBy = arrivals.filter { $0.0 <= decided }.count
        var left = voters - finishedBy
        if style == .channel { left = voters - min(deciding + 1, arrivedBy) }
        let main = buffers[0]
        let (checks, wakes) = unseen { main.lock.withLock { (main.lockCount, main.wakeCount) } }
        let result = ElectionResult(
            seed: plan.seed, won: won, shouldWin: plan.won, early: decided < ruleHeld,
            decidedMs: decided.milliseconds, ruleHeldMs: ruleHeld.milliseconds,
            latencyMs: (decided - ruleHeld).milliseconds, cpuMs: cpu.milliseconds,
            checks: checks, wakes: style == .threads ? wakes : min(deciding + 1, arrivedBy),
            leftBehind: left, races: RaceDetector.isEnabled ? RaceDetector.reportCount - races0 : nil)
        ElectionTrace.save(plan, all)
        return (result, all)
    }
}
