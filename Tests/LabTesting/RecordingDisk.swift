import Foundation
import LabKit
import LabTSan

/// A `Disk` for checks: each write takes `latency`, and the disk remembers what each key holds,
/// and whether two writes of one key were ever under way at once (the service's lock did not
/// cover its disk write, so the disk may end with the older value).
///
/// Its bookkeeping is invisible to ThreadSanitizer (`lab_tsan_unseen`): its own lock must not order
/// the calls of the code under test, or it would hide their races.
public final class RecordingDisk: Disk, @unchecked Sendable {  // unchecked: lock guards the rest
    public let latency: Duration
    private let lock = NSLock()
    private var stored: [String: String] = [:]
    private var writing: [String: Int] = [:]
    private var overlapped: Set<String> = []
    private var count = 0
    private var underWay = 0
    private var most = 0

    public init(latency: Duration = .zero) { self.latency = latency }

    public func write(_ key: String, _ value: String) {
        invisibly {
            if writing[key, default: 0] > 0 { overlapped.insert(key) }
            writing[key, default: 0] += 1
            underWay += 1
            most = max(most, underWay)
        }
        if latency > .zero { Thread.sleep(forTimeInterval: latency.seconds) }
        invisibly {
            stored[key] = value
            writing[key, default: 0] -= 1
            underWay -= 1
            count += 1
        }
    }

    /// What each key holds on the disk.
    public var values: [String: String] { invisibly { stored } }
    /// Keys that two writes were under way for at once.
    public var overlaps: [String] { invisibly { overlapped.sorted() } }
    public var writes: Int { invisibly { count } }
    /// The most writes, of any keys, under way at once since the last `resetMostAtOnce`.
    public var mostAtOnce: Int { invisibly { most } }
    public func resetMostAtOnce() { invisibly { most = underWay } }

    private func invisibly<T>(_ body: () -> T) -> T {
        lab_tsan_unseen_begin()
        defer { lab_tsan_unseen_end() }
        return lock.withLock(body)
    }
}
