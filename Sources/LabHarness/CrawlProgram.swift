import Foundation
import LabKit

/// What one crawl did, as each `crawl-*` program prints it with `--json` (and `crawl` reads it).
public struct CrawlReport: Codable, Sendable {
    public var variant: String
    public var web: WebSpec
    public var found: Int
    public var missing: Int
    public var fetches: Int
    public var duplicateFetches: Int
    public var maxInFlight: Int
    /// Fetches still running when the crawl returned, or started after it: work nobody waited for.
    public var leftRunning: Int
    /// Whether found and missing are exactly the web's, with no URL fetched twice.
    public var correct: Bool
    public var wallSeconds: Double
    /// Fetches on the longest chain that must run one after another.
    public var criticalPathFetches: Int
    /// latency × criticalPathFetches: no crawler can finish sooner.
    public var criticalPathSeconds: Double
    /// The same limit computed from the fetch times this run really saw (the simulator's share).
    public var measuredCriticalPathSeconds: Double
    public var pagesPerSecond: Double
    public var peakMemoryBytes: Int
    /// Whether the same crawl ran once, untimed, in this process before the one measured (`--warmup`).
    public var warmup: Bool

    /// The report of a crawl that saw `stats` and took `wall`, this process's peak memory included.
    init(variant: String, web: WebSpec, stats: CrawlStats, wall: Duration, correct: Bool,
         criticalPathFetches: Int, criticalPathSeconds: Double, measuredCriticalPathSeconds: Double, warmup: Bool = false) {
        self.variant = variant
        self.web = web
        found = stats.found.count
        missing = stats.missing.count
        fetches = stats.fetches
        duplicateFetches = stats.duplicateFetches
        maxInFlight = stats.maxInFlight
        leftRunning = stats.inFlight + stats.startedAfterReturn
        self.correct = correct
        wallSeconds = wall.seconds
        self.criticalPathFetches = criticalPathFetches
        self.criticalPathSeconds = criticalPathSeconds
        self.measuredCriticalPathSeconds = measuredCriticalPathSeconds
        pagesPerSecond = Double(stats.fetches) / max(wall.seconds, 1e-9)
        peakMemoryBytes = Measure.peakMemoryBytes()
        self.warmup = warmup
    }
}

/// The `main` of every crawler program: flags, the web, instrumentation, the report.
/// Each program supplies only its algorithm: `crawl(url, fetcher)`.
public enum CrawlProgram {
    public static let options: [Option] = WebSpec.options + [
        .flag("--json", "Print the report as JSON."),
        .flag("--list", "Print a found:/missing: line for every fetch (default for webs of 100 URLs or fewer)."),
        .flag("--quiet", "Print no found:/missing: lines."),
        .flag("--levels", "After the crawl, show when each BFS level of the web was fetched, against the ideal."),
        warmupOption,
    ]

    /// The process's first crawl pays for growing malloc's heap page by page (about 6,000 page
    /// faults, a quarter of the CPU of a 10,000-page crawl) and for starting threads; a benchmark
    /// measures the second, as benchmark tools do after a warm-up. Peak memory is unchanged: the
    /// second crawl reuses the first one's memory.
    public static let warmupOption = Option.flag(
        "--warmup", "Crawl the simulated web once, untimed, before the crawl that is measured (benchmarks).")

    /// Whether `--warmup` was given; refused for a real website, which it would crawl twice.
    public static func warmup(_ flags: Flags, _ spec: WebSpec) throws -> Bool {
        guard flags.has("--warmup") else { return false }
        if spec.url != nil { throw UsageError("--warmup works on simulated webs only: it would crawl the real site twice") }
        return true
    }

    public static func main(
        variant: String, summary: String, crawl: @escaping @Sendable (String, any Fetcher) async -> Void
    ) async {
        let tool = Tool(
            name: variant, summary: summary, options: options,
            discussion: "EXAMPLES:\n  \(variant)\n  \(variant) --web generated --pages 2000 --latency 10ms")
        await tool.main { flags in
            let spec = try WebSpec(flags)
            let warmup = try warmup(flags, spec)
            if spec.url != nil {
                let report = await runReal(variant: variant, spec: spec, list: !flags.has("--quiet") && !flags.has("--json"), crawl: crawl)
                print(flags.has("--json") ? JSON.encode(report) : describe(report))
                return
            }
            let web = spec.makeWeb()
            let list = !flags.has("--quiet") && (flags.has("--list") || (web.shape().distinctURLs <= 100 && !flags.has("--json")))
            let (report, levels) = await run(variant: variant, spec: spec, list: list, warmup: warmup, crawl: crawl)
            if flags.has("--json") {
                print(JSON.encode(report))
            } else {
                print(describe(report))
                if flags.has("--levels") { print(levels.render(), terminator: "") }
            }
        }
    }

    /// Crawls the web of `spec` with `crawl` and reports what happened.
    public static func run(
        variant: String, spec: WebSpec, list: Bool = false, warmup: Bool = false,
        crawl: @escaping @Sendable (String, any Fetcher) async -> Void
    ) async -> (CrawlReport, Table) {
        await run(variant: variant, spec: spec, web: spec.makeWeb(), list: list, warmup: warmup, crawl: crawl)
    }

    static func run(
        variant: String, spec: WebSpec, web: some SimulatedWeb, list: Bool, warmup: Bool,
        crawl: @escaping @Sendable (String, any Fetcher) async -> Void
    ) async -> (CrawlReport, Table) {
        let shape = web.shape()
        if warmup {
            await crawl(web.start, InstrumentedFetcher(web, expectedFetches: shape.distinctURLs))
        }
        let (fetcher, stats, wall) = await instrumentedCrawl(variant, web, from: web.start, of: shape.distinctURLs, list: list, crawl: crawl)
        let report = CrawlReport(
            variant: variant, web: spec, stats: stats, wall: wall,
            correct: stats.found == shape.found && stats.missing == shape.missing && stats.duplicateFetches == 0,
            criticalPathFetches: shape.criticalPathFetches,
            criticalPathSeconds: (web.latency * shape.criticalPathFetches).seconds,
            measuredCriticalPathSeconds: web.latency == .zero ? 0 : fetcher.measuredCriticalPath(from: web.start).seconds,
            warmup: warmup)
        return (report, levelTable(web, fetcher.fetchLog()))
    }

    /// Crawls the real website of `spec.url` over HTTP. Nobody knows its answer in advance, so
    /// "correct" means no URL fetched twice. Nobody sets its latency either, so the critical-path
    /// limit is the longest chain of fetches the crawl found × the fastest fetch it saw: what the
    /// crawl would take if no fetch ever waited behind another (in the fetcher, the network or
    /// the server). Fetch times averaged over the crawl would hide exactly that waiting.
    public static func runReal(
        variant: String, spec: WebSpec, list: Bool = false,
        crawl: @escaping @Sendable (String, any Fetcher) async -> Void
    ) async -> CrawlReport {
        let start = spec.url!
        let (fetcher, stats, wall) = await instrumentedCrawl(
            variant, HTTPFetcher(perHost: spec.perHost ?? 64), from: start, of: nil, list: list, crawl: crawl)
        let chain = fetcher.chainLength(from: start)
        let limit = (fetcher.fetchLog().map(\.duration).min() ?? .zero) * chain
        return CrawlReport(variant: variant, web: spec, stats: stats, wall: wall, correct: stats.duplicateFetches == 0,
                           criticalPathFetches: chain, criticalPathSeconds: limit.seconds, measuredCriticalPathSeconds: limit.seconds)
    }

    /// Crawls from `start` through `base`, instrumented: found:/missing: lines as fetches end when
    /// `list`, a progress line on a terminal otherwise. Returns the instrument, what it had seen
    /// when the crawl returned, and the wall time (summing up comes after the clock stopped).
    static func instrumentedCrawl<Base: Fetcher>(
        _ variant: String, _ base: Base, from start: String, of total: Int?, list: Bool,
        crawl: @escaping @Sendable (String, any Fetcher) async -> Void
    ) async -> (InstrumentedFetcher<Base>, CrawlStats, Duration) {
        var printLine: (@Sendable (String, Bool) -> Void)?
        if list {
            printLine = { url, found in print(found ? "found:   \(url)" : "missing: \(url)") }
        }
        let fetcher = InstrumentedFetcher(base, expectedFetches: total ?? 0, onFetched: printLine)
        let progress = Task.detached {
            let err = Terminal.standardError
            guard err.isInteractive, !list else { return }
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                err.progress("\(variant): \(grouped(fetcher.fetchCount))" + (total.map { " of \(grouped($0))" } ?? "") + " URLs fetched")
            }
        }
        let (_, wall) = await Measure.time { await crawl(start, fetcher) }
        let stats = fetcher.crawlDidReturn()
        progress.cancel()
        Terminal.standardError.clearProgress()
        return (fetcher, stats, wall)
    }

    /// When each BFS level of the web was fetched: with latency L, an ideal crawl starts every
    /// fetch of level d at d × L. The spread of the starts is the crawler's own cost, level by level.
    public static func levelTable(_ web: some SimulatedWeb, _ log: [LogEntry]) -> Table {
        let depth = BreadthFirst.search(from: web.start, links: web.links(of:)).distance
        var levels: [Int: (n: Int, first: Duration, last: Duration, end: Duration)] = [:]
        for e in log {
            let d = depth[e.url] ?? -1
            let l = levels[d] ?? (0, e.start, e.start, .zero)
            levels[d] = (l.n + 1, min(l.first, e.start), max(l.last, e.start), max(l.end, e.start + e.duration))
        }
        var t = Table(["level", "fetches", "ideal start", "first start", "last start", "last end"])
        for d in levels.keys.sorted() {
            let l = levels[d]!
            t.add([d < 0 ? "?" : String(d), grouped(l.n), (web.latency * max(d, 0)).short, l.first.short, l.last.short, l.end.short])
        }
        return t
    }

    /// The human summary printed after a crawl.
    public static func describe(_ r: CrawlReport) -> String {
        var s = "\(r.variant) crawled \(r.web):\n"
        s += "  \(grouped(r.found)) found, \(grouped(r.missing)) missing, \(grouped(r.fetches)) fetches"
        s += " (\(grouped(r.duplicateFetches)) duplicate), at most \(grouped(r.maxInFlight)) in flight\n"
        let wall = Duration.nanoseconds(Int64(r.wallSeconds * 1e9)).short
        if r.web.url != nil, r.criticalPathSeconds > 0 {
            let limit = Duration.nanoseconds(Int64(r.criticalPathSeconds * 1e9)).short
            s += "  took \(wall): \(fixed(r.wallSeconds / r.criticalPathSeconds, 3)) × the critical-path limit"
            s += " (\(r.criticalPathFetches) fetches one after another × the fastest fetch = \(limit)),"
            s += " \(grouped(Int(r.pagesPerSecond))) fetches per second\n"
        } else if r.criticalPathSeconds > 0 {
            let limit = Duration.nanoseconds(Int64(r.criticalPathSeconds * 1e9)).short
            s += "  took \(wall): \(fixed(r.wallSeconds / r.criticalPathSeconds, 3)) × the critical-path limit"
            s += " (\(r.criticalPathFetches) fetches one after another × \(r.web.latency.short) = \(limit))\n"
        } else {
            s += "  took \(wall), \(grouped(Int(r.pagesPerSecond))) fetches per second\n"
        }
        if !r.correct {
            s += r.web.url == nil ? "  WRONG: the found/missing sets differ from the web's, or a URL was fetched twice\n"
                : "  WRONG: a URL was fetched twice\n"
        }
        if r.leftRunning > 0 { s += "  LEAK: \(r.leftRunning) fetches still running or started after the crawl returned\n" }
        return s
    }
}
