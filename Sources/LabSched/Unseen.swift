import LabTSan

/// What ThreadSanitizer sees of a run: the code under test, and the order the primitives promise.
///
/// The scheduler hands the baton over through a condition per thread, and native runs take one
/// lock for every operation. Seen by ThreadSanitizer, either orders each operation after the one
/// before, whatever the thread, and hides every race on a plain variable: an unlocked
/// `box.n += 1` in two lab threads would never be reported. So the lab's own work runs unseen
/// (its reads, writes and locks), and ThreadSanitizer is told only the orders of Go's memory
/// model: an unlock before the next lock, a send before its receive, a `Done` before the `Wait`
/// it releases, a `go` before the thread it starts (which `pthread_create` tells it).
enum TSan {
    /// Whether this build has ThreadSanitizer: without it, no order is recorded.
    static let watching = lab_tsan_enabled() != 0

    /// Runs the lab's own work unseen. Nests.
    static func unseen<R>(_ body: () throws -> R) rethrows -> R {
        lab_tsan_unseen_begin()
        defer { lab_tsan_unseen_end() }
        return try body()
    }

    /// The address ThreadSanitizer knows a primitive's order by (`part` tells apart two orders
    /// of one object: a channel's sends, and its receivers' answers to them).
    static func address(_ object: AnyObject, part: Int = 0) -> UnsafeRawPointer {
        UnsafeRawPointer(Unmanaged.passUnretained(object).toOpaque()) + part
    }
}

extension LabThread {
    /// Orders what this thread does next after every `release` of `object` so far. Called
    /// inside an operation; ThreadSanitizer hears of it as the operation ends (`flushOrders`).
    func acquire(_ object: AnyObject, part: Int = 0) {
        if TSan.watching { orders.append((TSan.address(object, part: part), release: false)) }
    }

    /// Orders every later `acquire` of `object` after what this thread has done so far.
    func release(_ object: AnyObject, part: Int = 0) {
        if TSan.watching { orders.append((TSan.address(object, part: part), release: true)) }
    }

    /// Tells ThreadSanitizer the orders of the operation that just ran, seen, while this thread
    /// still holds the baton (or native mode's lock): a release is always told before the
    /// acquire it orders.
    func flushOrders() {
        if orders.isEmpty { return }
        // One level deep, or the annotations below would still be unseen, and ignored.
        assert(lab_tsan_unseen_depth() == 1, "LabSched: orders told inside a nested unseen region")
        lab_tsan_unseen_end()
        for (address, release) in orders {
            if release { lab_tsan_release(address) } else { lab_tsan_acquire(address) }
        }
        lab_tsan_unseen_begin()
        orders.removeAll(keepingCapacity: true)
    }
}
