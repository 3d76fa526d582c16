import Foundation

/// At most `n` holders at once; the others wait, suspended, in the order they came.
final class AsyncLimit: @unchecked Sendable {  // unchecked: lock guards everything
    private let lock = NSLock()
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    init(_ n: Int) { free = n }

    func acquire() async {
        if lock.withLock({ () -> Bool in
            guard free > 0 else { return false }
            free -= 1
            return true
        }) { return }
        await withCheckedContinuation { c in
            // A slot may have come free since the test above: take it, or queue.
            let now = lock.withLock { () -> Bool in
                if free > 0 {
                    free -= 1
                    return true
                }
                waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    /// Hands the slot to the next waiter, if any.
    func release() {
        lock.lock()
        guard head < waiting.count else {
            free += 1
            lock.unlock()
            return
        }
        let next = waiting[head]
        head += 1
        if head > 1024, head * 2 > waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        lock.unlock()
        next.resume()
    }
}
