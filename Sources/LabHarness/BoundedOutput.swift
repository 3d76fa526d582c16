import Foundation

/// What a program printed, kept within a bound: its first and last `limit / 2` bytes, and how many
/// in between were left out. A program under test may print without end (a student's loop, say);
/// whoever reads it must not hold all of it.
struct BoundedOutput {
    let half: Int
    private(set) var head = Data()
    private var tail = Data()
    private(set) var leftOut = 0

    init(limit: Int) { half = max(limit / 2, 1) }

    mutating func append(_ chunk: Data) {
        var chunk = chunk[...]
        if head.count < half {
            let n = min(half - head.count, chunk.count)
            head += chunk.prefix(n)
            chunk = chunk.dropFirst(n)
        }
        tail += chunk
        // Trimmed only once it is twice the bound: each byte is moved at most once more.
        if tail.count > 2 * half {
            leftOut += tail.count - half
            tail = Data(tail.suffix(half))
        }
    }

    var data: Data {
        guard leftOut > 0 || tail.count > half else { return head + tail }
        let dropped = leftOut + max(tail.count - half, 0)
        return head + Data("\n[... \(dropped) bytes left out ...]\n".utf8) + tail.suffix(half)
    }
}
