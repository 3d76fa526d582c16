import Foundation
import LabKit

/// Wraps any fetcher and records what a crawl did with it: every fetch of every URL, how many
/// were in flight at once, how long each took, and anything still fetching after the crawl returned.
///
/// One lock guards the records; it is held only to bump counters and append to the log, never across
/// a fetch, so that the instrument costs the crawl little. The log is summed up after the crawl.
public final class InstrumentedFetcher<Base: Fetcher>: Fetcher, @unchecked Sendable {
    public let base: Base
    private let onFetched: (@Sendable (_ url: String, _ found: Bool) -> Void)?
    private let lock = NSLock()
    private var log: [LogEntry] = []
    private var inFlight = 0
    private var maxInFlight = 0
    private var fetches = 0
    private var crawlReturned = false
    private var startedAfterReturn = 0
    private let started = ContinuousClock.now

    /// - Parameters:
    ///   - onFetched: called as each fetch ends (the lecture's `found:`/`missing:` lines).
    ///   - expectedFetches: room kept in the log up front, so that it never grows (copying every
    ///     entry under the lock, while the crawl waits) in the middle of a crawl.
    public init(_ base: Base, expectedFetches: Int = 0, onFetched: (@Sendable (_ url: String, _ found: Bool) -> Void)? = nil) {
        self.base = base
        self.onFetched = onFetched
        log.reserveCapacity(expectedFetches)
    }

    public func fetch(_ url: String) async throws -> [String] {
        lock.withLock {
            inFlight += 1
            fetches += 1
            if inFlight > maxInFlight { maxInFlight = inFlight }
            if crawlReturned { startedAfterReturn += 1 }
        }
        let t0 = ContinuousClock.now
        var links: [String]?
        defer {
            let elapsed = ContinuousClock.now - t0
            lock.withLock {
                inFlight -= 1
                log.append(LogEntry(url: url, links: links, start: t0 - started, duration: elapsed))
            }
            onFetched?(url, links != nil)
        }
        links = try await base.fetch(url)
        return links!
    }

    /// Marks the moment the crawl returned: fetches still running or started later are leaked work.
    public func crawlDidReturn() -> CrawlStats {
        lock.withLock {
            crawlReturned = true
            return statsLocked()
        }
    }

    /// The time since the fetcher was made, on the clock of the log's entries.
    public var elapsed: Duration { ContinuousClock.now - started }

    /// Every fetch that has ended, in the order they ended.
    public func fetchLog() -> [LogEntry] { lock.withLock { log } }

    /// Calls to `fetch` so far (cheap: for progress lines).
    public var fetchCount: Int { lock.withLock { fetches } }

    /// What has been recorded so far.
    public func stats() -> CrawlStats { lock.withLock { statsLocked() } }

    /// Every fetched URL with its fetch count, its links and its fetch times.
    private func recordsLocked() -> [String: FetchRecord] {
        var records: [String: FetchRecord] = [:]
        records.reserveCapacity(log.count)
        for e in log { records[e.url, default: FetchRecord()].add(links: e.links, start: e.start, duration: e.duration) }
        return records
    }

    private func statsLocked() -> CrawlStats {
        let records = recordsLocked()
        var found: [String] = []
        var missing: [String] = []
        var duplicated: [String: Int] = [:]
        var first: [String: FetchSpan] = [:]
        for (url, r) in records {
            if r.links != nil { found.append(url) } else { missing.append(url) }
            if r.count > 1 { duplicated[url] = r.count }
            first[url] = r.first
        }
        return CrawlStats(
            found: found.sorted(), missing: missing.sorted(), fetches: fetches,
            fetchedTwice: duplicated, maxInFlight: maxInFlight, inFlight: inFlight,
            startedAfterReturn: startedAfterReturn, firstFetch: first)
    }

    /// Fetches on the longest chain from `start` in the web this crawl discovered (its BFS depth + 1):
    /// the critical path with every fetch weighing one nanosecond.
    public func chainLength(from start: String) -> Int {
        let records = lock.withLock { recordsLocked() }
        let one = CriticalPath.limit(from: start, links: { records[$0]?.links }, cost: { records[$0] == nil ? nil : .nanoseconds(1) })
        return Int((one / .nanoseconds(1)).rounded())
    }

    /// The fastest any crawler could have finished given the fetch times this crawl saw:
    /// the heaviest of the lightest chains from `start` (see `CriticalPath`).
    public func measuredCriticalPath(from start: String) -> Duration {
        let records = lock.withLock { recordsLocked() }
        return CriticalPath.limit(from: start, links: { records[$0]?.links }, cost: { records[$0]?.meanDuration })
    }
}

/// When a fetch started and ended, since the fetcher was made.
public struct FetchSpan: Sendable, Equatable {
    public var start: Duration
    public var end: Duration
}

/// One fetch: when it started (since the fetcher was made), how long it took, what it returned.
public struct LogEntry: Sendable {
    public var url: String
    public var links: [String]?
    public var start: Duration
    public var duration: Duration
}

struct FetchRecord {
    var count = 0
    var links: [String]?
    var totalDuration = Duration.zero
    var first = FetchSpan(start: .zero, end: .zero)

    mutating func add(links: [String]?, start: Duration, duration: Duration) {
        if count == 0 {
            self.links = links
            first = FetchSpan(start: start, end: start + duration)
        }
        count += 1
        totalDuration += duration
    }

    var meanDuration: Duration { totalDuration / count }
}

/// A snapshot of what a crawl fetched.
public struct CrawlStats: Sendable, Equatable {
    /// URLs fetched successfully, sorted.
    public var found: [String]
    /// URLs whose fetch failed, sorted.
    public var missing: [String]
    /// Calls to `fetch`, duplicates included.
    public var fetches: Int
    /// URLs fetched more than once, with how many times.
    public var fetchedTwice: [String: Int]
    /// The most fetches that were running at the same moment.
    public var maxInFlight: Int
    /// Fetches running when the snapshot was taken (at return: work the crawl left behind).
    public var inFlight: Int
    /// Fetches that started after the crawl had returned.
    public var startedAfterReturn: Int
    /// When each URL's first fetch that has ended started and ended, since the fetcher was made:
    /// whether a crawl waited for one page before it fetched another.
    public var firstFetch: [String: FetchSpan] = [:]

    /// Fetches that repeated a URL already fetched.
    public var duplicateFetches: Int { fetches - found.count - missing.count }
}
