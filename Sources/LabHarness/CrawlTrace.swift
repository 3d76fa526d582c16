import Foundation
import LabKit

/// A crawl kept for `make trace` (see `TraceFolder`): every fetch, when it ran, and where each
/// URL lies in the web, so that the crawl of a failing check can be drawn as a table afterwards
/// and its faults pointed at (`CrawlTable`).
public struct CrawlTrace: Codable, Sendable {
    public struct Fetch: Codable, Sendable {
        public var url: String
        public var startMs: Double
        public var endMs: Double
        public var links: Int?  // nil: the page is missing
    }

    /// The check's name for the crawl: `crawl(depth: 4)`, `crawl(maxInFlight: 3)`.
    public var crawl: String
    public var start: String
    /// Every fetch that ended, in the order they started (the first `maxFetches` of them).
    public var fetches: [Fetch]
    /// Fetches left out beyond `maxFetches` (a crawl that never stops).
    public var dropped: Int
    /// When `crawl` returned; nil when it never did (its check's watchdog gave up on it).
    public var returnedMs: Double?
    /// Fetches still running when the trace was taken, a moment after the crawl returned.
    public var stillRunning: Int
    /// Every URL the web holds within reach of the start: its links from the start. (Empty when
    /// the web is larger than `maxMapped`.)
    public var distance: [String: Int]

    /// The largest web whose map is kept, and the most fetches kept.
    static let maxMapped = 20_000
    static let maxFetches = 20_000

    static func file(in dir: URL, check: String, number: Int) -> URL {
        dir.appendingPathComponent("crawl-\(check)-\(number).json")
    }

    private static let counts = LockedBox<[String: Int]>([:])

    /// Writes the crawl when traces are wanted: every crawl of a check, numbered in order.
    public static func save(_ crawl: String, check: String, web: some SimulatedWeb, log: [LogEntry], returned: Duration?, stillRunning: Int) {
        guard let dir = TraceFolder.directory else { return }
        let number = counts.withValue { (c: inout [String: Int]) -> Int in
            c[check, default: 0] += 1
            return c[check]!
        }
        var seen = 0
        let map = BreadthFirst.search(from: web.start) { url in
            seen += 1
            return seen > maxMapped ? [] : web.links(of: url)
        }
        let fetches = log.map { Fetch(url: $0.url, startMs: $0.start.milliseconds, endMs: ($0.start + $0.duration).milliseconds, links: $0.links?.count) }
            .sorted { $0.startMs < $1.startMs }
        let trace = CrawlTrace(crawl: crawl, start: web.start, fetches: Array(fetches.prefix(maxFetches)),
                               dropped: max(0, fetches.count - maxFetches), returnedMs: returned?.milliseconds,
                               stillRunning: stillRunning, distance: seen > maxMapped ? [:] : map.distance)
        try? JSONEncoder().encode(trace).write(to: file(in: dir, check: check, number: number), options: .atomic)
    }

    /// The crawls `check` ran, in order.
    public static func all(check: String, from dir: URL) -> [CrawlTrace] {
        (1...).lazy.map { file(in: dir, check: check, number: $0) }
            .prefix { FileManager.default.fileExists(atPath: $0.path) }
            .compactMap { FileManager.default.contents(atPath: $0.path).flatMap { try? JSONDecoder().decode(CrawlTrace.self, from: $0) } }
    }

    /// The crawl that a failing check's message is about: among the check's crawls with the name
    /// the message starts with (`crawl(depth: 4) on ...`), the first whose table shows a fault,
    /// else the last of them.
    public static func named(in message: String, check: String, from dir: URL) -> CrawlTrace? {
        guard let name = message.firstMatch(of: /crawl\([^)]*\)/).map({ String($0.0) }) else { return nil }
        let runs = all(check: check, from: dir).filter { $0.crawl == name }
        return runs.first { !$0.faults.isEmpty } ?? runs.last
    }

    /// The depth or bound in the crawl's name: `crawl(depth: 4)` → ("depth", 4).
    var parameter: (name: String, value: Int)? {
        guard let m = crawl.firstMatch(of: /crawl\((\w+): (\d+)\)/), let v = Int(m.2) else { return nil }
        return (String(m.1), v)
    }

    /// What the crawl did wrong that its own record shows, each fault with the URLs it concerns.
    public var faults: [(what: String, urls: [String])] {
        var out: [(String, [String])] = []
        var count: [String: Int] = [:]
        for f in fetches { count[f.url, default: 0] += 1 }
        let twice = count.filter { $0.value > 1 }.keys.sorted()
        if !twice.isEmpty { out.append(("fetched more than once", twice)) }
        if let returnedMs {
            let late = fetches.filter { $0.endMs > returnedMs }.map(\.url)
            if !late.isEmpty || stillRunning > 0 { out.append(("still fetching after crawl returned", late)) }
        } else {
            out.append(("crawl never returned (its check's watchdog gave up on it)", []))
        }
        guard !distance.isEmpty else { return out }
        let fetched = Set(fetches.map(\.url))
        let depth = parameter?.name == "depth" ? parameter!.value : Int.max
        let lost = distance.filter { $0.value < depth && !fetched.contains($0.key) }.keys.sorted { (distance[$0]!, $0) < (distance[$1]!, $1) }
        if !lost.isEmpty { out.append((depth == .max ? "never fetched" : "never fetched, though within depth \(depth)", lost)) }
        let beyond = fetched.filter { distance[$0].map { $0 >= depth } ?? false }.sorted()
        if !beyond.isEmpty { out.append(("fetched, though \(depth) or more links from the start", beyond)) }
        let unlinked = fetched.filter { distance[$0] == nil }.sorted()
        if !unlinked.isEmpty { out.append(("fetched, though no link leads there from the start", unlinked)) }
        if parameter?.name == "maxInFlight", let k = parameter?.value, maxInFlight > k {
            out.append(("\(maxInFlight) fetches in flight at once, more than \(k)", []))
        }
        return out
    }

    /// The most fetches that ran at once.
    public var maxInFlight: Int { inFlight.max() ?? 0 }

    /// How many fetches ran when each one started (itself included): those started by then, less
    /// those ended by then.
    public var inFlight: [Int] {
        let ends = fetches.map(\.endMs).sorted()
        func atOrBefore(_ t: Double, _ xs: [Double]) -> Int {
            var (lo, hi) = (0, xs.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if xs[mid] <= t { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        let starts = fetches.map(\.startMs)  // sorted: the fetches are in start order
        return starts.map { atOrBefore($0, starts) - atOrBefore($0, ends) }
    }
}
