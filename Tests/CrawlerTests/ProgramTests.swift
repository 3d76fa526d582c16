import Foundation
import LabKit
import LabHarness
import LabTesting
import XCTest
@testable import crawl_mutex

/// The crawl programs run as a user runs them, output compared (as swift-argument-parser's
/// example tests do).
final class ProgramTests: LabTestCase {
    static let programs = ["crawl", "crawl-serial", "crawl-mutex", "crawl-channel", "crawl-actor", "crawl-group"]

    /// The serial crawler prints exactly what the lecture's Go program prints, in the same order.
    func testSerialPrintsTheLecturesLinesInOrder() throws {
        let r = try Programs.run("crawl-serial")
        XCTAssertEqual(r.status, 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(6)), [
            "found:   http://golang.org/",
            "found:   http://golang.org/pkg/",
            "missing: http://golang.org/cmd/",
            "found:   http://golang.org/pkg/fmt/",
            "found:   http://golang.org/pkg/os/",
            "crawl-serial crawled the Go tour web (no latency):",
        ])
        XCTAssertEqual(lines[6], "  4 found, 1 missing, 5 fetches (0 duplicate), at most 1 in flight")
    }

    /// The concurrent crawlers print the same lines, in an order that may vary.
    func testEveryVariantPrintsTheSameFoundAndMissingLines() throws {
        let expected = [
            "found:   http://golang.org/", "found:   http://golang.org/pkg/", "found:   http://golang.org/pkg/fmt/",
            "found:   http://golang.org/pkg/os/", "missing: http://golang.org/cmd/",
        ]
        for name in Self.programs.dropFirst() {
            let r = try Programs.run(name, ["--latency", "1ms"])
            XCTAssertEqual(r.status, 0, name)
            let lines = r.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.filter { $0.hasPrefix("found:") || $0.hasPrefix("missing:") }.sorted(), expected.sorted(), name)
            XCTAssertTrue(r.stdout.contains("5 fetches (0 duplicate)"), name)
        }
    }

    func testCrawlComparesEveryVariantOnTheSameWeb() throws {
        let r = try Programs.run("crawl", ["--web", "generated", "--pages", "300", "--latency", "5ms", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let reports = try JSON.decode([CrawlReport].self, from: r.stdout)
        XCTAssertEqual(reports.map(\.variant), ["crawl-serial", "crawl-mutex", "crawl-channel", "crawl-actor", "crawl-group"])
        for report in reports {
            XCTAssertTrue(report.correct, report.variant)
            XCTAssertEqual(report.found, 300, report.variant)
            XCTAssertEqual(report.missing, 30, report.variant)
            XCTAssertEqual(report.duplicateFetches, 0, report.variant)
            XCTAssertEqual(report.leftRunning, 0, report.variant)
            XCTAssertEqual(report.web, WebSpec(web: "generated", pages: 300, fanout: 4, latency: .milliseconds(5)))
            XCTAssertGreaterThanOrEqual(report.wallSeconds, report.criticalPathSeconds, "nothing beats the critical path")
        }
        XCTAssertEqual(reports[0].maxInFlight, 1, "serial")
        XCTAssertGreaterThan(reports[1].maxInFlight, 16, "mutex")
    }

    func testCrawlTableHasARowPerVariant() throws {
        let r = try Programs.run("crawl", ["--variants", "serial,group"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "Crawling the Go tour web (no latency):")
        XCTAssertTrue(lines[1].hasPrefix("variant "), lines[1])
        XCTAssertTrue(lines[3].hasPrefix("crawl-serial "), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("crawl-group "), lines[4])
        // Without latency the concurrent crawler is slower, and a note under the table says why.
        XCTAssertEqual(Array(lines.dropFirst(5)), ["Without latency there is no waiting to overlap: a concurrent crawler only adds its costs,",
                                                   "so a speedup under 1× is expected."])
        XCTAssertEqual(r.stderr, "", "no progress output when piped")
    }

    /// `--warmup` measures the second of two crawls in one process: the report says so, and the
    /// measured crawl alone is counted (11 fetches of the 10-page web, not 22).
    func testWarmupReportsOnlyTheMeasuredCrawl() throws {
        let r = try Programs.run("crawl", ["--web", "generated", "--pages", "10", "--latency", "1ms", "--variants", "mutex,channel", "--warmup", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let reports = try JSON.decode([CrawlReport].self, from: r.stdout)
        XCTAssertEqual(reports.map(\.variant), ["crawl-mutex", "crawl-channel"])
        for report in reports {
            XCTAssertTrue(report.warmup, report.variant)
            XCTAssertTrue(report.correct, report.variant)
            XCTAssertEqual(report.fetches, 11, report.variant)
            XCTAssertEqual(report.leftRunning, 0, report.variant)
        }
        let cold = try Programs.run("crawl-mutex", ["--web", "generated", "--pages", "10", "--json"])
        XCTAssertFalse(try JSON.decode(CrawlReport.self, from: cold.stdout).warmup)
        let table = try Programs.run("crawl", ["--variants", "group", "--warmup"])
        XCTAssertEqual(table.stdout.split(separator: "\n").first, "Crawling the Go tour web (no latency), each variant after one untimed warm-up crawl:")
    }

    /// The warm-up is a whole crawl of the same web, run before the measured one and not counted:
    /// the algorithm runs twice, the fetcher it gets the second time has seen nothing before.
    func testWarmupCrawlsTwiceAndCountsTheSecond() async throws {
        let crawls = LockedBox<[Int]>([])  // fetches already recorded by each crawl's fetcher at its start
        let spec = WebSpec(web: "generated", pages: 50, fanout: 4, latency: .milliseconds(1))
        for warmup in [false, true] {
            crawls.withValue { $0 = [] }
            let (report, _) = await CrawlProgram.run(variant: "crawl-mutex", spec: spec, warmup: warmup) { start, fetcher in
                crawls.withValue { $0.append((fetcher as? InstrumentedFetcher<GeneratedWeb>)?.fetchCount ?? -1) }
                await concurrentMutex(start, fetcher, FetchState())
            }
            XCTAssertEqual(crawls.value, warmup ? [0, 0] : [0], "warmup: \(warmup)")
            XCTAssertEqual(report.warmup, warmup)
            XCTAssertEqual(report.fetches, 55, "only the measured crawl is counted (warmup: \(warmup))")
            XCTAssertTrue(report.correct)
        }
    }

    /// `make bench` sets the lecture's Go crawlers (`Tests/GoPeers`, `crawl`) beside the Swift ones:
    /// they must crawl the same web, every URL exactly once (skipped where Go is not installed).
    func testTheLecturesGoCrawlersCrawlTheSameWeb() throws {
        let binary = try Programs.buildGoPeers()
        for (pages, fanout, latency) in [(1000, 4, "0"), (500, 37, "1ms")] {
            let shape = GeneratedWeb(pages: pages, fanout: fanout).shape()
            // A Go crawler that deadlocks or never ends is killed, and the test says so.
            let r = try Subprocess.run(binary, ["crawl", "-pages", "\(pages)", "-fanout", "\(fanout)", "-latency", latency, "-urls"],
                                       timeout: .seconds(60))
            XCTAssertFalse(r.timedOut, "the Go crawlers ran over 60 s on \(pages) pages")
            XCTAssertEqual(r.status, 0, r.stderr)
            // Each crawl prints its summary line ("go NAME FETCHES fetches ..."), then a "fetched URL" line per URL.
            var crawls: [(summary: String, urls: [String])] = []
            for line in r.stdout.split(separator: "\n") {
                if line.hasPrefix("fetched "), !crawls.isEmpty {
                    crawls[crawls.count - 1].urls.append(String(line.dropFirst("fetched ".count)))
                } else {
                    crawls.append((line.split(separator: " ").prefix(3).joined(separator: " "), []))
                }
            }
            XCTAssertEqual(crawls.map(\.summary),
                           ["go ConcurrentMutex \(shape.found.count + shape.missing.count)",
                            "go ConcurrentChannel \(shape.found.count + shape.missing.count)"], "pages \(pages), fanout \(fanout)")
            let expected = Set(shape.found + shape.missing)
            for crawl in crawls {
                let what = "\(crawl.summary), pages \(pages), fanout \(fanout)"
                XCTAssertEqual(crawl.urls.count, expected.count, what)
                XCTAssertEqual(expected.subtracting(crawl.urls).sorted().prefix(5), [], "not fetched: \(what)")
                XCTAssertEqual(Set(crawl.urls).subtracting(expected).sorted().prefix(5), [], "not in the web: \(what)")
            }
        }
    }

    func testHelpOnEveryProgram() throws {
        for name in Self.programs {
            let r = try Programs.run(name, ["--help"])
            XCTAssertEqual(r.status, 0, name)
            XCTAssertTrue(r.stdout.hasPrefix("OVERVIEW: "), name)
            XCTAssertTrue(r.stdout.contains("USAGE: \(name) [options]"), name)
            for option in ["--web", "--pages", "--fanout", "--latency", "--json", "--help"] {
                XCTAssertTrue(r.stdout.contains(option), "\(name) --help lists \(option)")
            }
        }
    }

    func testBadInputGetsOneLineTheUsageAndExitTwo() throws {
        let cases: [([String], String)] = [
            (["--bogus"], "unknown option '--bogus'"),
            (["--pages", "-5"], "--pages must be at least 1, not -5"),
            (["--pages", "many"], "--pages must be a whole number, not 'many'"),
            (["--fanout", "0"], "--fanout must be at least 1, not 0"),
            (["--latency", "fast"], "--latency must be a duration such as 50ms, 1.5s or 0, not 'fast'"),
            (["--latency", "-1ms"], "--latency must be a duration"),
            (["--web", "internet"], "--web must be one of tour, generated, not 'internet'"),
            (["--web", "generated", "--pages", "100000000000"], "--pages 100,000,000,000 asks for 110,000,000,000 URLs"),
            (["--url", "http://127.0.0.1:1/", "--warmup"], "--warmup works on simulated webs only: it would crawl the real site twice"),
        ]
        for name in ["crawl", "crawl-mutex"] {
            for (args, message) in cases {
                try Programs.assertUsageError(name, args, says: message)
            }
        }
        try Programs.assertUsageError("crawl", ["--variants", "mutex,fast"], says: "--variants: unknown 'fast'")
    }
}
