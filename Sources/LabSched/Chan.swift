/// Go's `chan T`. Unbuffered (`capacity` 0): a send waits until a receiver has taken its value,
/// so it is two operations, the offer and its completion. Buffered: a send waits only while
/// the buffer is full. `close` makes every receive return `nil` once the buffer is empty, and
/// a send on a closed channel panics, as in Go.
public final class Chan<T: Sendable>: @unchecked Sendable {
    public let name: String
    public let capacity: Int
    var buffer: [(value: T, clock: VectorClock)] = []
    var offers: [(ticket: Int, value: T, clock: VectorClock)] = []
    var taken: [Int: VectorClock] = [:]
    var nextTicket = 0
    var closed = false
    var closedBy = VectorClock()
    /// Buffered: Go's kth receive is synchronized before the (k + capacity)th send completes (a
    /// channel used as a semaphore). As Go's race detector does, each buffer slot has an order
    /// that the send and the receive using it both acquire, then release.
    var slotClocks: [Int: VectorClock] = [:]
    var slotAnchors: [Int: SlotAnchor] = [:]
    var sends = 0
    var receives = 0

    public init(_ name: String = "ch", capacity: Int = 0) {
        precondition(capacity >= 0, "a channel's capacity cannot be negative")
        self.name = name
        self.capacity = capacity
    }

    /// `ch <- v`
    public func send(_ v: T) {
        let t = Current.required
        let run = t.run
        if capacity > 0 {
            run.step(t, "\(name) <- \(v)", enabled: { [self] in closed || buffer.count < capacity }) {
                guard !closed else { return run.fail(.panic, "panic: send on closed channel (\(name))", fatal: true) }
                useSlot(t, &sends)
                buffer.append((v, t.clock))
                t.clock.tick(t.id)
            }
            return
        }
        var ticket = 0
        run.step(t, "\(name) <- \(v)") {
            guard !closed else { return run.fail(.panic, "panic: send on closed channel (\(name))", fatal: true) }
            ticket = nextTicket
            nextTicket += 1
            offers.append((ticket, v, t.clock))
            t.clock.tick(t.id)
            t.release(self)
        }
        run.step(t, "\(name) <- \(v) taken", waiting: "\(name) <- \(v) (waits for a receiver)", enabled: { [self] in taken[ticket] != nil || closed }) {
            guard let receiver = taken.removeValue(forKey: ticket) else {
                return run.fail(.panic, "panic: send on closed channel (\(name))", fatal: true)
            }
            t.clock.join(receiver)
            t.acquire(self, part: 1)
        }
    }

    /// `v, ok := <-ch`: nil once the channel is closed and empty.
    public func receive() -> T? {
        let t = Current.required
        let run = t.run
        var got: T?
        run.step(t, "<-\(name)", enabled: { [self] in !buffer.isEmpty || !offers.isEmpty || closed }) {
            if !buffer.isEmpty {
                let (v, clock) = buffer.removeFirst()
                t.clock.join(clock)
                useSlot(t, &receives)
                t.clock.tick(t.id)
                got = v
            } else if !offers.isEmpty {
                let o = offers.removeFirst()
                t.clock.join(o.clock)
                taken[o.ticket] = t.clock
                t.clock.tick(t.id)
                t.acquire(self)
                t.release(self, part: 1)
                got = o.value
            } else {
                t.clock.join(closedBy)
                t.acquire(self)
            }
            run.note = got.map { " → \($0)" } ?? " → closed"
        }
        return got
    }

    /// The next buffer slot of sends or receives (`count`): acquired, then released.
    private func useSlot(_ t: LabThread, _ count: inout Int) {
        let i = count % capacity
        count += 1
        t.clock.join(slotClocks[i] ?? VectorClock())
        slotClocks[i] = t.clock
        let anchor = slotAnchors[i] ?? SlotAnchor()
        slotAnchors[i] = anchor
        t.acquire(anchor)
        t.release(anchor)
    }

    /// `close(ch)`
    public func close() {
        let t = Current.required
        t.run.step(t, "close(\(name))") {
            guard !closed else { return t.run.fail(.panic, "panic: close of closed channel (\(name))", fatal: true) }
            closed = true
            closedBy = t.clock
            t.clock.tick(t.id)
            t.release(self)
        }
    }
}

/// An address for ThreadSanitizer to know one buffer slot's order by.
final class SlotAnchor {}

/// `for v := range ch`
extension Chan: Sequence {
    public struct Iterator: IteratorProtocol {
        let chan: Chan
        public func next() -> T? { chan.receive() }
    }
    public func makeIterator() -> Iterator { Iterator(chan: self) }
}
