import LabKit
import LabTSan
import Foundation

/// One execution of a program built on LabSched, in one of two modes.
///
/// - Controlled: every lab thread is a real thread, but only the one holding the baton runs.
///   Before each operation of a primitive, the thread says what it is about to do and hands the
///   baton to the scheduler, which picks who runs next (a `Chooser`) among the threads whose next
///   operation can happen. `sleep` moves virtual time, and only when no thread can run.
/// - Native: the threads run freely; each operation is atomic under one lock, and a thread whose
///   operation cannot happen waits on it. The OS decides the order.
///
/// In both modes the run keeps the rows, the vector clocks that find races, and what ended it.
final class Run: @unchecked Sendable {
    enum Mode {
        case controlled(Chooser)
        case native
    }

    let mode: Mode
    let stepLimit: Int
    var threads: [LabThread] = []
    var steps: [Step] = []
    var failures: [Failure] = []
    var choices: [Int] = []
    var now: Duration = .zero
    var sharedNames: [String] = []
    var sharedValues: [() -> String] = []
    /// The shared values as last described: only a store changes them, and describing a value
    /// (a dictionary's sorted keys) costs more than the rest of a step.
    var state: [String] = []
    var stateChanged = true
    var outcome: String?
    var mainFinished = false
    /// How many times the baton went from one thread to another: the explorer's unit of cost.
    var handOffs = 0
    /// Text the operation that just ran adds to its row ("→ 0").
    var note = ""
    /// The order mutexes were taken in, for lock-order inversions.
    let lockOrder = LockOrder()
    /// Why a chooser stopped the run (a replay that does not fit, a person who quit).
    var stopped: String?

    // Native mode: the lock every operation runs under, and who waits on it.
    let global = NSCondition()
    var blocked = 0
    var aborting = false
    let nativeStart = ContinuousClock.now

    // The driver's view, under `status`: whether the run ended, and how far it got.
    let status = NSCondition()
    var ended = false
    /// Set by the driver when its watchdog gives up on the thread holding the baton.
    var abandoned = false
    var progress = 0
    var holder = 0

    init(mode: Mode, stepLimit: Int) {
        self.mode = mode
        self.stepLimit = stepLimit
    }

    var isControlled: Bool { if case .controlled = mode { true } else { false } }

    // MARK: Operations

    /// Runs one operation of thread `t`: waits until `enabled` holds and it is `t`'s turn, then
    /// `perform`s it and adds its row.
    /// `waiting` is how the operation reads while it cannot happen (in a deadlock's message).
    /// The lab's own work runs unseen by ThreadSanitizer (`TSan`), the label's reads of the
    /// primitive included; the operation's orders are told as it ends.
    func step<R>(_ t: LabThread, _ label: @autoclosure () -> String, waiting: @autoclosure () -> String? = nil,
                 wakeAt: Duration? = nil, enabled: @escaping () -> Bool = { true }, _ perform: () -> R) -> R {
        seenSoFar()
        return TSan.unseen { operation(t, label(), waiting: waiting(), wakeAt: wakeAt, enabled: enabled, perform) }
    }

    private func operation<R>(_ t: LabThread, _ label: String, waiting: String?, wakeAt: Duration?,
                              enabled: @escaping () -> Bool, _ perform: () -> R) -> R {
        switch mode {
        case .controlled(let chooser):
            leaveIfAbandoned()
            t.pending = Pending(label: waiting ?? label, enabled: enabled, wakeAt: wakeAt)
            if let spawner = t.spawner {
                // The first operation after `go`: back to the spawner, with no decision.
                t.spawner = nil
                hold(spawner)
                t.pass(to: spawner)
            } else {
                schedule(from: t, chooser)
            }
            t.pending = nil
            let r = perform()
            record(t, label)
            t.flushOrders()
            if fatal { end() }
            if ended { park(t) }
            return r
        case .native:
            global.lock()
            t.pending = Pending(label: waiting ?? label, enabled: enabled, wakeAt: wakeAt)
            while !aborting && !enabled() {
                blocked += 1
                if nativeQuiescent { endQuiescent() }
                if !aborting { global.wait() }
                blocked -= 1
            }
            t.pending = nil
            if aborting { exitNative() }
            if steps.count >= stepLimit {
                fail(.stepLimit, "did not finish in \(stepLimit) steps")
                end()
                exitNative()
            }
            let r = perform()
            record(t, label)
            t.flushOrders()
            if fatal { end() }
            if ended { exitNative() }
            global.broadcast()
            global.unlock()
            return r
        }
    }

    /// A row that is not a scheduling point: `go`, and what a thread does as it ends.
    func event(_ t: LabThread, _ label: @autoclosure () -> String, _ perform: () -> Void = {}) {
        seenSoFar()
        TSan.unseen {
            if isControlled {
                perform()
                record(t, label())
                t.flushOrders()
            } else {
                global.lock()
                if aborting { exitNative() }
                perform()
                record(t, label())
                t.flushOrders()
                global.unlock()
            }
        }
    }

    /// Everything a lab thread has done up to its operation happens before the driver reads the
    /// ended run (`execute`), which would otherwise see, say, the outcome's text as raced.
    private func seenSoFar() { lab_tsan_release(TSan.address(self)) }

    /// The driver's side of `seenSoFar`.
    func readEnded() { lab_tsan_acquire(TSan.address(self)) }

    func record(_ t: LabThread, _ label: String) {
        if stateChanged {
            state = sharedValues.map { $0() }
            stateChanged = false
        }
        steps.append(Step(thread: t.id, label: label + note, timeMs: Int(now / .milliseconds(1)), state: state))
        note = ""
        if !isControlled {
            status.lock()
            progress += 1
            status.unlock()
        }
    }

    /// A failure. A fatal one (a panic, a failed check) ends the schedule, as it ends a Go program.
    /// A fatal one ends the run once the operation's row is in.
    func fail(_ kind: FailureKind, _ message: String, fatal: Bool = false, step: Int? = nil) {
        failures.append(Failure(kind: kind, message: message, step: step ?? (steps.isEmpty ? nil : steps.count - 1)))
        if fatal { self.fatal = true }
    }
    var fatal = false

    /// A failed `check` in the scenario's own code: the schedule ends here, as a Go panic would.
    func failHere(_ t: LabThread, _ kind: FailureKind, _ message: String) -> Never {
        seenSoFar()
        lab_tsan_unseen_begin()  // for good: the thread ends below
        if !isControlled { global.lock() }
        if !aborting || isControlled { fail(kind, message) }
        end()
        if !isControlled { exitNative() }
        t.waitForBaton()
        fatalError("unreachable: an ended run resumed a thread")
    }

    // MARK: Controlled scheduling

    /// What a person choosing sees: each thread's next operation, and the rows so far.
    func view() -> (threads: [ThreadView], rows: [Step], shared: [String]) {
        (threads.map { ThreadView(id: $0.id, name: $0.name, next: $0.finished ? nil : $0.pending?.label, canRun: canRun($0)) }, steps, sharedNames)
    }

    private func canRun(_ t: LabThread) -> Bool {
        guard !t.finished, let p = t.pending else { return false }
        if let w = p.wakeAt { return w <= now }
        return p.enabled()
    }

    /// Picks who runs next and hands over the baton; returns once `me` holds it again and its
    /// pending operation can happen (or at once, if `me` has finished and someone else runs).
    private func schedule(from me: LabThread, _ chooser: Chooser) {
        while !ended {
            if steps.count >= stepLimit {
                fail(.stepLimit, "did not finish in \(stepLimit) steps")
                end()
                break
            }
            let enabled = threads.filter(canRun)
            if enabled.isEmpty {
                if let wake = threads.compactMap({ $0.finished ? nil : $0.pending?.wakeAt }).min() {
                    now = wake
                    continue
                }
                endQuiescent()
                break
            }
            var pick = enabled[0]
            let running = enabled.contains { $0 === me } ? me : nil
            if enabled.count > 1 {
                if mainFinished {
                    // After main returns only leaks are left to find: no more choices.
                    pick = running ?? pick
                } else {
                    let d = Decision(step: steps.count, enabled: enabled.map(\.id), running: running?.id, run: self)
                    let c = chooser.choose(d)
                    guard stopped == nil, let chosen = enabled.first(where: { $0.id == c }) else {
                        if stopped == nil { stopped = "the chooser picked thread \(c), which cannot run" }
                        end()
                        break
                    }
                    choices.append(c)
                    pick = chosen
                }
            }
            if pick === me { return }
            hold(pick)
            handOffs += 1
            if me.finished {
                pick.resume()
            } else {
                me.pass(to: pick)
            }
            return
        }
        park(me)
    }

    /// A thread the watchdog gave up on (stuck in a loop or a foreign lock) that comes back
    /// later finds the run over and ends, touching nothing: the driver has read the run since.
    /// It also counts the step, for the watchdog: one lock for both.
    private func leaveIfAbandoned() {
        status.lock()
        let over = abandoned
        progress += 1
        status.unlock()
        if over { endThread() }
    }

    /// Notes who holds the baton, for the driver's watchdog.
    private func hold(_ t: LabThread) {
        status.lock()
        holder = t.id
        status.unlock()
    }

    /// The schedule is over: a finished thread just leaves; any other waits to be aborted.
    private func park(_ t: LabThread) {
        if !t.finished { t.waitForBaton() }
    }

    // MARK: Ending

    var liveThreads: Int { threads.count { !$0.finished } }

    /// Natively: every live thread waits in an operation that cannot happen. Counting waiters is
    /// not enough: one that was woken may not have looked again yet.
    private var nativeQuiescent: Bool {
        blocked == liveThreads && threads.allSatisfy { $0.finished || !($0.pending?.enabled() ?? true) }
    }

    /// No thread can run and none sleeps: a deadlock if main still waits, else a leak if any
    /// thread is left blocked, else a clean end.
    func endQuiescent() {
        let stuck = threads.filter { !$0.finished }
        let places = stuck.map { "\($0.name) at \($0.pending?.label ?? "?")" }.joined(separator: ", ")
        if !mainFinished {
            fail(.deadlock, "all goroutines are asleep - deadlock! (\(places))")
        } else if !stuck.isEmpty {
            fail(.leak, "\(stuck.count == 1 ? "1 thread" : "\(stuck.count) threads") blocked for ever after main returned: \(places)")
        }
        end()
    }

    func end() {
        if ended { return }
        if !isControlled { aborting = true; global.broadcast() }
        status.lock()
        ended = true
        status.broadcast()
        status.unlock()
    }

    /// A native thread leaves the run, which is over (it holds the global lock).
    private func exitNative() -> Never {
        global.broadcast()
        global.unlock()
        endThread()
    }

    // MARK: Threads

    /// `go`: starts `body` as a new lab thread. Under control, the new thread runs at once up to
    /// its first operation, and the baton comes back: starting a thread is not a choice point.
    @discardableResult
    func spawn(_ parent: LabThread?, name: String? = nil, label: ((String) -> String)? = nil, effect: () -> Void = {},
               atExit: (() -> Void)? = nil, _ body: @escaping @Sendable () -> Void) -> LabThread {
        let child = TSan.unseen { register(parent, name: name, label: label, effect: effect, atExit: atExit) }
        // Seen: `pthread_create` orders what the parent did before `go` before all the child does.
        // Under control, an aborted thread's stack is abandoned (see `LabThread.waitForBaton`), so
        // its closure must not keep the run alive; natively the run must outlive its threads.
        let keepAlive: Run? = isControlled ? nil : self
        let started = Thread.start(named: "lab \(child.name)") {
            Current.set(child)
            if keepAlive == nil { TSan.unseen { child.waitForBaton() } }
            body()
            child.run.exit(child)
        }
        if !started {
            fatalError("LabSched: could not start a thread for \(child.name) (the process is at its limit of threads)")
        }
        if isControlled, let parent {
            TSan.unseen {
                child.spawner = parent
                handOffs += 2  // there and back
                hold(child)
                parent.pass(to: child)
            }
        }
        return child
    }

    private func register(_ parent: LabThread?, name: String?, label: ((String) -> String)?, effect: () -> Void,
                          atExit: (() -> Void)?) -> LabThread {
        if !isControlled { global.lock() }
        let child = LabThread(id: threads.count, name: name ?? (threads.isEmpty ? "main" : "t\(threads.count)"), run: self)
        if let atExit { child.atExit.append(atExit) }
        if let parent {
            child.clock.join(parent.clock)
            parent.clock.tick(parent.id)
        }
        threads.append(child)
        effect()
        if let parent { record(parent, label?(child.name) ?? "go \(child.name)") }
        if !isControlled { global.unlock() }
        return child
    }

    /// A thread's body returned: its `atExit` work, then someone else runs.
    func exit(_ t: LabThread, outcome: String? = nil) {
        if isControlled {
            TSan.unseen { leaveIfAbandoned() }
            if !t.atExit.isEmpty { event(t, t.atExit.count == 1 ? "exits: wg.Done()" : "exits") { t.atExit.forEach { $0() } } }
        }
        seenSoFar()
        TSan.unseen { finish(t) }
    }

    private func finish(_ t: LabThread) {
        switch mode {
        case .controlled(let chooser):
            t.finished = true
            if t.id == 0 { mainFinished = true }
            if let spawner = t.spawner {
                t.spawner = nil
                hold(spawner)
                spawner.resume()
            } else {
                schedule(from: t, chooser)
            }
        case .native:
            global.lock()
            if !t.atExit.isEmpty {
                t.atExit.forEach { $0() }
                record(t, t.atExit.count == 1 ? "exits: wg.Done()" : "exits")
                t.flushOrders()
            }
            t.finished = true
            if t.id == 0 { mainFinished = true }
            if liveThreads == 0 { end() } else if nativeQuiescent { endQuiescent() }
            global.broadcast()
            global.unlock()
        }
    }
}
