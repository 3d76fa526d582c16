import Foundation
import LabKit
import LabTesting
import XCTest

/// Every crawler variant against the webs whose answers are known exactly.
final class CrawlerTests: LabTestCase {
    func testTourWebExactFoundAndMissing() throws {
        let web = TourWeb()
        XCTAssertEqual(web.shape().missing, ["http://golang.org/cmd/"])
        XCTAssertEqual(web.shape().found.count, 4)
        for v in Variant.all {
            let stats = try CrawlCheck.run(v.name, v.crawl, on: web)
            CrawlCheck.assertExact(stats, web.shape(), v.name)
            XCTAssertEqual(stats.fetches, 5, v.name)
        }
    }

    /// Fanout 1, 4 and 37, from 1 page to 20,000: every distinct URL fetched exactly once.
    func testGeneratedWebsOfManyShapes() throws {
        let shapes = [(1, 1), (1, 4), (2, 1), (11, 37), (1_000, 1), (20_000, 1), (20_000, 4), (20_000, 37), (1_234, 4)]
        for (pages, fanout) in shapes {
            let web = GeneratedWeb(pages: pages, fanout: fanout)
            let shape = web.shape()
            XCTAssertEqual(shape.distinctURLs, pages + (pages + 9) / 10)
            for v in Variant.all {
                let stats = try CrawlCheck.run("\(v.name) on \(pages) pages, fanout \(fanout)", v.crawl, on: web)
                CrawlCheck.assertExact(stats, shape, "\(v.name) (\(pages) pages, fanout \(fanout))")
                XCTAssertEqual(stats.fetches, shape.distinctURLs, v.name)
            }
        }
    }

    /// With 20 ms per fetch, a concurrent crawler has a whole level of the web in flight at once
    /// (level 2 of a fanout-4 web has 16 pages).
    func testConcurrentVariantsOverlapFetches() throws {
        let web = GeneratedWeb(pages: 200, fanout: 4, latency: .milliseconds(20))
        for v in Variant.concurrentOnes {
            let stats = try CrawlCheck.run(v.name, v.crawl, on: web)
            CrawlCheck.assertExact(stats, web.shape(), v.name)
            if let p = CrawlCheck.overlapProblem(stats, v.name, atLeast: 16) { XCTFail(p) }
        }
    }

    /// A fetch that blocks its thread instead of suspending holds one of the cooperative pool's
    /// threads (one per core): no more fetches than cores can ever be in flight, whatever the design.
    func testBlockingFetchesStarveTheCooperativePool() throws {
        var web = GeneratedWeb(pages: 60, fanout: 4, latency: .milliseconds(5))
        web.blocking = true
        for v in Variant.concurrentOnes {
            let stats = try CrawlCheck.run(v.name, v.crawl, on: web)
            CrawlCheck.assertExact(stats, web.shape(), v.name)
            XCTAssertLessThanOrEqual(stats.maxInFlight, ProcessInfo.processInfo.activeProcessorCount, v.name)
        }
    }

    func testNoRacesInAnyVariant() throws {
        try RaceCheck.requireThreadSanitizer()
        for web in [GeneratedWeb(pages: 3_000, fanout: 4), GeneratedWeb(pages: 300, fanout: 4, latency: .milliseconds(1))] {
            for v in Variant.all {
                try XCTAssertNoRaces("\(v.name) on \(web.pages) pages") {
                    _ = try CrawlCheck.run(v.name, v.crawl, on: web)
                }
            }
        }
    }
}

/// Each checker above, shown to catch a crawler broken in the way it looks for.
final class CheckerProofTests: LabTestCase {
    /// A race shows only when two threads happen to touch the same URL's flag at once, with no
    /// lock taken between them (the instrumented fetcher's own lock orders many accesses), so the
    /// check crawls up to 50 times and stops at the first crawl that produced a report.
    func testRaceCheckCatchesCrawlerWithoutLock() throws {
        try RaceCheck.requireThreadSanitizer()
        let web = GeneratedWeb(pages: 1000, fanout: 4)
        var races = 0
        for _ in 1...50 where races == 0 {
            races = try RaceCheck.racesDuring {
                _ = try CrawlCheck.run("unlocked mutex crawler", Broken.unlocked(web), on: web)
            }
        }
        XCTAssertGreaterThan(races, 0, "the race check missed a crawler whose fetched set has no lock")
    }

    func testDuplicateCheckCatchesCrawlerThatForgetsVisited() throws {
        let stats = try CrawlCheck.run("path-only crawler", Broken.pathOnlyCrawl, on: TourWeb())
        XCTAssertEqual(stats.fetchedTwice["http://golang.org/cmd/"], 2, "cmd/ is linked from two pages")
        let problems = CrawlCheck.problems(stats, TourWeb().shape(), "path-only crawler")
        XCTAssertEqual(problems, ["path-only crawler fetched http://golang.org/cmd/ 2 times; each URL must be fetched once"])
    }

    func testCompletenessAndLeakChecksCatchCrawlerThatDoesNotWait() throws {
        let web = GeneratedWeb(pages: 50, fanout: 4, latency: .milliseconds(10))
        let stats = try CrawlCheck.run("no-wait crawler", Broken.noWaitCrawl, on: web, settle: .milliseconds(50))
        XCTAssertEqual(stats.found, [web.start], "it returns after fetching only the start page")
        XCTAssertGreaterThan(stats.startedAfterReturn, 0, "its children go on fetching after it returned")
        let problems = CrawlCheck.problems(stats, web.shape(), "no-wait crawler")
        XCTAssertTrue(problems.contains { $0.hasPrefix("no-wait crawler never reported 49 found URL(s)") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("no-wait crawler left work behind") }, "\(problems)")
    }

    func testOverlapCheckCatchesSerialCrawler() throws {
        let web = GeneratedWeb(pages: 40, fanout: 4, latency: .milliseconds(2))
        let stats = try CrawlCheck.run("crawl-serial", Variant.serial.crawl, on: web)
        XCTAssertEqual(stats.maxInFlight, 1)
        XCTAssertNotNil(CrawlCheck.overlapProblem(stats, "crawl-serial", atLeast: 16), "the overlap check must fail a serial crawler")
    }

    func testWatchdogCatchesCrawlerThatNeverReturns() throws {
        let hang: Crawl = { _, _ in
            await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }  // a lost wake-up: never resumed
        }
        XCTAssertThrowsError(try CrawlCheck.run("hanging crawler", hang, on: TourWeb(), seconds: 0.5)) { error in
            XCTAssertTrue("\(error)".hasPrefix("hanging crawler crawling http://golang.org/ did not finish within 0.5 s:"
                           + " a deadlock, a lost wake-up, or work that never ends; or a blocking wait"), "\(error)")
            XCTAssertTrue("\(error)".contains("Swift's task pool has one thread per core"), "tasks: the starved pool is named: \(error)")
        }
    }
}
