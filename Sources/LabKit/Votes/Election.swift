import Foundation

/// Who did something in an election: main (the candidate) or voter `i`.
public enum Participant: Hashable, Sendable, Codable, CustomStringConvertible {
    case main
    case voter(Int)

    public var description: String {
        switch self {
        case .main: return "main"
        case .voter(let i): return "voter \(i)"
        }
    }
}

/// What happened, as the trace and the step view show it.
public enum VoteEvent: Sendable, Equatable, Codable {
    case asked                       // a voter starts its requestVote (it sleeps)
    case voted(yes: Bool)            // requestVote returned
    case cancelled                   // the voter's task was cancelled before it voted
    case locked                      // took the lock
    case unlocked                    // released the lock
    case checks(times: Int, until: Duration)  // main took the lock again and again (a spin), until a time
    case waits                       // waits on the condition variable (the lock is released)
    case woken                       // returned from the wait (the lock is held again)
    case broadcast                   // woke every waiter
    case signal                      // woke one waiter
    case decided(won: Bool)          // main returned its decision
}

public struct Stamped: Sendable, Codable {
    public var time: Duration
    public var who: Participant
    public var event: VoteEvent
}

/// One participant's events, appended by that participant only. Each has its own lock, taken by
/// its owner on every append and by the collector after the election: never by two participants,
/// so the log adds no synchronization between voters that could hide their races from TSan.
package final class EventBuffer: @unchecked Sendable {
    package let who: Participant
    package let lock = NSLock()
    package var events: [Stamped] = []
    package var lockCount = 0
    package var wakeCount = 0
    init(_ who: Participant) { self.who = who }

    package func append(_ s: Stamped) { lock.withLock { events.append(s) } }
}

/// An election in progress: the plan, the clock, each participant's events, and the lecture's
/// primitives wrapped so that they record what they do (requestVote, the lock, the condition).
public final class Election: @unchecked Sendable {
    public let plan: ElectionPlan
    public var voters: Int { plan.voters }
    public var needed: Int { plan.needed }
    package let start = ContinuousClock.now
    package let buffers: [EventBuffer]

    public init(_ plan: ElectionPlan) {
        self.plan = plan
        buffers = [EventBuffer(.main)] + (0..<plan.voters).map { EventBuffer(.voter($0)) }
    }

    package func now() -> Duration { ContinuousClock.now - start }

    func buffer(_ who: Participant) -> EventBuffer {
        switch who {
        case .main: return buffers[0]
        case .voter(let i): return buffers[i + 1]
        }
    }

    package func record(_ who: Participant, _ event: VoteEvent) {
        buffer(who).append(Stamped(time: now(), who: who, event: event))
    }

    /// The thread's participant: voters' threads are marked by `requestVote`, all others are main.
    var currentParticipant: Participant { ThreadRole.current.map { .voter($0) } ?? .main }

    /// The lecture's `requestVote` for a voter on its own thread: blocks the thread for the
    /// voter's delay, then returns its vote. Blocking is fine here: it is a Thread, not a task.
    public func requestVote(_ i: Int) -> Bool {
        ThreadRole.current = i
        record(.voter(i), .asked)
        let b = plan.ballots[i]
        Thread.sleep(forTimeInterval: Double(b.delayMs) / 1000)
        record(.voter(i), .voted(yes: b.yes))
        return b.yes
    }

    /// `requestVote` for a voter that is a task: suspends instead of blocking, and throws
    /// `CancellationError` when its task is cancelled before the vote is in.
    public func requestVote(_ i: Int) async throws -> Bool {
        record(.voter(i), .asked)
        let b = plan.ballots[i]
        do {
            try await LatencyTimer.shared.sleep(for: .milliseconds(b.delayMs))
        } catch {
            record(.voter(i), .cancelled)
            throw error
        }
        record(.voter(i), .voted(yes: b.yes))
        return b.yes
    }

    /// The lecture's `sync.Mutex`: an NSLock that records who takes it.
    public func makeLock() -> TracedLock { TracedLock(NSLock(), self) }

    /// `sync.Cond` together with its mutex, as Foundation has them: an NSCondition that records.
    public func makeCondition() -> TracedCondition { TracedCondition(NSCondition(), self) }

    /// Main took the lock: a run of takes less than 1 ms apart is one `checks` event (a spin).
    func noteLocked() {
        let who = currentParticipant
        let buf = buffer(who)
        let t = now()
        buf.lock.withLock {
            buf.lockCount += 1
            if case .main = who, let last = buf.events.last, case .checks(let n, let until) = last.event,
               t - until < .milliseconds(1) {
                buf.events[buf.events.count - 1].event = .checks(times: n + 1, until: t)
            } else if case .main = who {
                buf.events.append(Stamped(time: t, who: who, event: .checks(times: 1, until: t)))
            } else {
                buf.events.append(Stamped(time: t, who: who, event: .locked))
            }
        }
    }

    func noteUnlocked() {
        let who = currentParticipant
        if case .voter = who { record(who, .unlocked) }
    }
}

/// Which voter the current thread is (pthread thread-local): set by the blocking `requestVote`.
enum ThreadRole {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static var current: Int? {
        get { pthread_getspecific(key).map { Int(bitPattern: $0) - 1 } }
        set { pthread_setspecific(key, newValue.map { UnsafeRawPointer(bitPattern: $0 + 1)! }) }
    }
}

/// A Foundation lock that records who takes it (Foundation's lock classes cannot be subclassed
/// on Linux, so this wraps one): `TracedLock` is the lecture's `sync.Mutex`, `TracedCondition`
/// its `sync.Cond` together with the mutex.
public final class Traced<Base: NSLocking>: NSLocking, @unchecked Sendable {
    fileprivate let base: Base
    fileprivate unowned let election: Election

    init(_ base: Base, _ e: Election) {
        self.base = base
        election = e
    }

    public func lock() {
        base.lock()
        election.noteLocked()
    }

    public func unlock() {
        election.noteUnlocked()
        base.unlock()
    }
}

public typealias TracedLock = Traced<NSLock>
public typealias TracedCondition = Traced<NSCondition>

extension Traced where Base == NSCondition {
    /// Releases the lock and sleeps until a broadcast or signal; holds the lock again on return.
    public func wait() {
        let who = election.currentParticipant
        election.record(who, .waits)
        base.wait()
        let buf = election.buffer(who)
        buf.lock.withLock { buf.wakeCount += 1 }
        election.record(who, .woken)
    }

    public func broadcast() {
        election.record(election.currentParticipant, .broadcast)
        base.broadcast()
    }

    public func signal() {
        election.record(election.currentParticipant, .signal)
        base.signal()
    }
}
