import LabTSan

// ThreadSanitizer and the scheduler. The scheduler's hand-overs (a condition variable per thread
// under control, one lock around every operation natively) would look to ThreadSanitizer like
// synchronization between every pair of lab threads, and hide every race on a plain variable.
// So LabSched's machinery runs hidden from it, and each primitive says what it orders instead:
// an unlock releases the mutex and the next lock acquires it, a send releases the channel and a
// receive acquires it, and so on, as Go's memory model says.

/// Runs `body` unseen by ThreadSanitizer: no reads, writes or synchronization recorded.
func hidden<T>(_ body: () throws -> T) rethrows -> T {
    lab_tsan_internal_begin()
    defer { lab_tsan_internal_end() }
    return try body()
}

/// A place that synchronization goes through: an object, or a second place in it.
struct SyncPoint: @unchecked Sendable {  // unchecked: the object is only an address here
    let object: AnyObject
    var offset = 0

    init(_ object: AnyObject, offset: Int = 0) {
        self.object = object
        self.offset = offset
    }

    private var address: UnsafeRawPointer { UnsafeRawPointer(Unmanaged.passUnretained(object).toOpaque()) + offset }
    func release() { lab_tsan_release(address) }
    func acquire() { lab_tsan_acquire(address) }
}
