import Foundation
import LabKit
import LabHarness
import XCTest

/// A crawler under test: the lecture's signature, `crawl(url, fetcher)`.
public typealias Crawl = @Sendable (String, any Fetcher) async -> Void

/// Checks on a crawl, with messages that name the URL at fault.
public enum CrawlCheck {
    /// Crawls `web` with `crawl` under a watchdog and returns what it fetched, as of its return;
    /// then waits `settle` and counts the fetches that started after the crawl had returned.
    public static func run(
        _ name: String, _ crawl: @escaping Crawl, on web: some SimulatedWeb, seconds: Double = 60,
        settle: Duration = .milliseconds(20)
    ) throws -> CrawlStats {
        // Every crawl is kept for make trace, one that never returned too (when its watchdog gave up).
        let fetcher = InstrumentedFetcher(web)
        let check = TraceFolder.check.value
        let kept = LockedBox(false)
        @Sendable func keep(returned: Duration?) {
            guard kept.withValue({ (k: inout Bool) -> Bool in defer { k = true }; return !k }) else { return }
            CrawlTrace.save(name, check: check, web: web, log: fetcher.fetchLog(), returned: returned, stillRunning: fetcher.stats().inFlight)
        }
        do {
            return try withWatchdog(seconds, "\(name) crawling \(web.start)") {
                await crawl(web.start, fetcher)
                let returned = fetcher.elapsed
                var stats = fetcher.crawlDidReturn()
                try? await Task.sleep(for: settle)
                stats.startedAfterReturn = fetcher.stats().startedAfterReturn
                keep(returned: returned)
                return stats
            }
        } catch {
            keep(returned: nil)
            throw error
        }
    }

    /// What is wrong with a crawl of a web of known shape: URLs fetched twice, URLs never fetched
    /// or fetched wrongly, work still running at or after return. Empty when the crawl is exact.
    public static func problems(_ stats: CrawlStats, _ shape: WebShape, _ name: String) -> [String] {
        var out: [String] = []
        for (url, n) in stats.fetchedTwice.sorted(by: { $0.key < $1.key }).prefix(5) {
            out.append("\(name) fetched \(url) \(n) times; each URL must be fetched once")
        }
        out += difference(stats.found, shape.found, "found", name)
        out += difference(stats.missing, shape.missing, "missing", name)
        out += leftovers(stats, name)
        return out
    }

    /// Work the crawl left behind: fetches running when it returned, or started afterwards.
    public static func leftovers(_ stats: CrawlStats, _ name: String) -> [String] {
        var out: [String] = []
        if stats.inFlight > 0 {
            out.append("\(name) returned while \(stats.inFlight) fetch(es) were still running: it must wait for its workers")
        }
        if stats.startedAfterReturn > 0 {
            out.append("\(name) left work behind: \(stats.startedAfterReturn) fetch(es) started after it had returned")
        }
        return out
    }

    /// For checks of *how* a crawl works (its bound, its overlap, what it leaves running, its
    /// races): they count only a crawl that did the work, finding every page it should. An empty
    /// crawler never exceeds a bound, leaves nothing running and has no races. Fails saying so,
    /// and returns false, when pages are missing.
    @discardableResult
    public static func requireDone(_ stats: CrawlStats, expected: [String], _ name: String,
                                   file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let missed = Set(expected).subtracting(stats.found).sorted()
        guard let first = missed.first else { return true }
        XCTFail("\(name) found \(stats.found.count) of the \(expected.count) pages it should (\(first) is missing, among "
                + "\(missed.count)); this check counts only a crawl that finds them all", file: file, line: line)
        return false
    }

    /// A concurrent crawl of a web with latency has at least `atLeast` fetches in flight at once.
    public static func overlapProblem(_ stats: CrawlStats, _ name: String, atLeast: Int) -> String? {
        stats.maxInFlight >= atLeast ? nil
            : "\(name) never had more than \(stats.maxInFlight) fetch(es) in flight (expected \(atLeast)): it is not concurrent"
    }

    /// Fails the test once for each of `problems(stats, shape, name)`.
    public static func assertExact(
        _ stats: CrawlStats, _ shape: WebShape, _ name: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        for p in problems(stats, shape, name) { XCTFail(p, file: file, line: line) }
    }

    static func difference(_ got: [String], _ want: [String], _ what: String, _ name: String) -> [String] {
        let lost = Set(want).subtracting(got).sorted()
        let extra = Set(got).subtracting(want).sorted()
        var out: [String] = []
        if !lost.isEmpty {
            out.append("\(name) never reported \(lost.count) \(what) URL(s) it should have, e.g. \(lost.prefix(3).joined(separator: ", "))")
        }
        if !extra.isEmpty {
            out.append("\(name) reported \(extra.count) \(what) URL(s) it should not have, e.g. \(extra.prefix(3).joined(separator: ", "))")
        }
        return out
    }
}

extension CrawlCheck {
    /// What a crawl to `depth` must fetch: every URL whose shortest link distance from the start is
    /// less than `depth`, split into found and missing, each sorted; and each URL's distance.
    public static func within(_ web: some SimulatedWeb, depth: Int) -> (found: [String], missing: [String], distance: [String: Int]) {
        let r = BreadthFirst.search(from: web.start, closerThan: depth, links: web.links(of:))
        return (r.order.filter { !r.missing.contains($0) }.sorted(), r.missing.sorted(), r.distance)
    }

    /// The problems of a crawl to `depth` (fetched twice, missed, fetched beyond the depth).
    public static func depthProblems(_ stats: CrawlStats, _ web: some SimulatedWeb, depth: Int, _ name: String) -> [String] {
        let want = within(web, depth: depth)
        var out: [String] = []
        for (url, n) in stats.fetchedTwice.sorted(by: { $0.key < $1.key }).prefix(5) {
            out.append("\(name) fetched \(url) \(n) times; each URL must be fetched once")
        }
        let got = Set(stats.found + stats.missing)
        let lost = Set(want.found + want.missing).subtracting(got).sorted()
        if !lost.isEmpty {
            out.append("\(name) never fetched \(lost.count) URL(s) within depth \(depth), e.g. "
                       + lost.prefix(3).map { "\($0) (\(want.distance[$0] ?? -1) links from the start)" }.joined(separator: ", "))
        }
        let beyond = got.subtracting(want.found + want.missing).sorted()
        if !beyond.isEmpty {
            out.append("\(name) fetched \(beyond.count) URL(s) \(depth) or more links from the start, e.g. \(beyond.prefix(3).joined(separator: ", "))")
        }
        return out
    }
}

/// A small web given page by page, where each page may take its own time to fetch: for webs built
/// to trap a crawler (a short path that is slow, a long path that is fast).
public struct GraphWeb: SimulatedWeb {
    public let start: String
    public let pages: [String: [String]]
    public let slow: [String: Duration]
    public var latency: Duration

    /// - Parameters: `pages`: each found page and its links (any other URL is missing);
    ///   `slow`: fetch times that differ from `latency`.
    public init(start: String, pages: [String: [String]], latency: Duration, slow: [String: Duration] = [:]) {
        self.start = start
        self.pages = pages
        self.latency = latency
        self.slow = slow
    }

    public func links(of url: String) -> [String]? { pages[url] }

    public func fetch(_ url: String) async throws -> [String] {
        try await LatencyTimer.shared.sleep(for: slow[url] ?? latency)
        guard let links = pages[url] else { throw FetchError(url: url) }
        return links
    }
}
