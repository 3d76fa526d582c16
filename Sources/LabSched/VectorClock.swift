/// A vector clock: entry `i` counts the synchronizing operations of lab thread `i` that this
/// thread has heard of. Two accesses are ordered (happens-before) when the later thread's clock
/// has caught up with the earlier access's entry; otherwise they race.
struct VectorClock: Sendable, Equatable {
    private(set) var entries: [Int] = []

    subscript(thread: Int) -> Int {
        thread < entries.count ? entries[thread] : 0
    }

    mutating func set(_ thread: Int, _ value: Int) {
        if thread >= entries.count { entries += Array(repeating: 0, count: thread + 1 - entries.count) }
        entries[thread] = value
    }

    /// One more release by `thread`: what it does next is not covered by what it released before.
    mutating func tick(_ thread: Int) { set(thread, self[thread] + 1) }

    /// Hears of everything `other` had heard of: what an acquire does.
    mutating func join(_ other: VectorClock) {
        for (i, v) in other.entries.enumerated() where v > self[i] { set(i, v) }
    }
}
