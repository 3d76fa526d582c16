import CrawlDepth
import Foundation
import LabKit
import LabHarness
import LabTesting
import XCTest

/// Exercise 1, `Exercises/01-crawl-depth`: the points of each check are in its `exercise.json`.
final class CrawlDepthChecks: ExerciseCase {
    /// Crawls `web` to `depth` with the student's code under a watchdog, then judges what it fetched.
    func crawled(_ web: some SimulatedWeb, depth: Int, seconds: Double = 20) throws -> CrawlStats {
        let stats = try CrawlCheck.run("crawl(depth: \(depth))", { url, fetcher in
            await CrawlDepth.crawl(url, depth: depth, fetcher: fetcher)
        }, on: web, seconds: seconds)
        try skipIfNotAttempted()
        return stats
    }

    func assertExact(_ stats: CrawlStats, _ web: some SimulatedWeb, depth: Int, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        for p in CrawlCheck.depthProblems(stats, web, depth: depth, "crawl(depth: \(depth)) on \(what)") {
            XCTFail(p, file: file, line: line)
        }
    }

    func testTourWebAtEveryDepth() throws {
        let web = TourWeb(latency: .milliseconds(2))
        for depth in 0...5 {
            assertExact(try crawled(web, depth: depth), web, depth: depth, "the tour web")
        }
    }

    func testGeneratedWebs() throws {
        for (pages, fanout, depth) in [(200, 3, 4), (2_000, 4, 6), (60, 1, 40), (300, 4, 50)] {
            let web = GeneratedWeb(pages: pages, fanout: fanout, latency: .milliseconds(1))
            assertExact(try crawled(web, depth: depth), web, depth: depth, "a generated web of \(pages) pages, fanout \(fanout)")
        }
        try crawlCrowdedWeb()
    }

    /// 64 pages, fetched at once, link in groups of 4 to the same 32 pages: a group's links reach
    /// the crawler at the same instant on both cores, which is when a "seen?" then a "seen!" in
    /// two steps lets a URL through twice. 16 groups a crawl, 20 crawls: each meets at other moments.
    func crawlCrowdedWeb() throws {
        let t = "http://crowd.test/"
        var pages: [String: [String]] = [t: (0..<64).map { "\(t)m\($0)" }]
        for m in 0..<64 {
            pages["\(t)m\(m)"] = (0..<32).map { "\(t)g\(m / 4)/\($0)" }
            for s in 0..<32 { pages["\(t)g\(m / 4)/\(s)"] = [] }
        }
        let web = GraphWeb(start: t, pages: pages, latency: .milliseconds(1))
        for _ in 0..<20 {
            let stats = try crawled(web, depth: 3)
            let problems = CrawlCheck.depthProblems(stats, web, depth: 3, "crawl(depth: 3) on a web where groups of 4 pages "
                                                    + "link to the same 32 pages")
            if !problems.isEmpty { return problems.forEach { XCTFail($0) } }
        }
    }

    /// The exercise's trap: `x` is 2 links from the start through a slow page, and 3 through fast
    /// ones, so it is first reached by the longer path, with less depth left to follow its links.
    /// The shorter path arrives once x has been fetched, and then while x is still being fetched.
    func testShorterPathFoundLater() throws {
        let t = "http://trap.test/"
        let pages = [t: [t + "slow", t + "b"], t + "slow": [t + "x"], t + "b": [t + "c"],
                     t + "c": [t + "x"], t + "x": [t + "y"], t + "y": [t + "z"], t + "z": []]
        let fetched = GraphWeb(start: t, pages: pages, latency: .milliseconds(5), slow: [t + "slow": .milliseconds(80)])
        assertExact(try crawled(fetched, depth: 4), fetched, depth: 4, "a web where x is reached first by the longer path "
                    + "(\(t) → b → c → x) and, once x has been fetched, by the shorter one (\(t) → slow → x), so y, "
                    + "3 links away, is within depth 4:")
        assertExact(try crawled(fetched, depth: 5), fetched, depth: 5, "the same web at depth 5: when the shorter path "
                    + "reaches x, y has been fetched too, and its links must be followed again as well, so z, 4 links away, "
                    + "is within depth 5:")
        let inFlight = GraphWeb(start: t, pages: pages, latency: .milliseconds(5),
                                slow: [t + "slow": .milliseconds(40), t + "x": .milliseconds(150)])
        assertExact(try crawled(inFlight, depth: 4), inFlight, depth: 4, "a web where x is reached first by the longer path "
                    + "(\(t) → b → c → x) and, while x is still being fetched (it takes 150 ms), by the shorter one "
                    + "(\(t) → slow → x): x's links must be followed with the depth the shorter path left, so y, 3 links "
                    + "away, is within depth 4:")
    }

    /// A page is fetched once its URL is known, whatever else is still being fetched: a5, at the
    /// end of a chain of 5 ms pages, is fetched long before a 400 ms page one link from the start
    /// returns. A crawler that fetches every page at one distance before it starts the next
    /// distance waits for that page at every step of the chain.
    func testDoesNotWaitForSlowPages() throws {
        let t = "http://levels.test/"
        var pages = [t: [t + "slow", t + "a1"], t + "slow": [t + "s1"], t + "s1": []]
        for i in 1...5 { pages["\(t)a\(i)"] = i < 5 ? ["\(t)a\(i + 1)"] : [] }
        let web = GraphWeb(start: t, pages: pages, latency: .milliseconds(5), slow: [t + "slow": .milliseconds(400)])
        let stats = try crawled(web, depth: 7)
        guard CrawlCheck.requireDone(stats, expected: CrawlCheck.within(web, depth: 7).found, "crawl(depth: 7)"),
              let slow = stats.firstFetch[t + "slow"], let last = stats.firstFetch[t + "a5"] else { return }
        if last.start >= slow.end {
            XCTFail("crawl(depth: 7) on a web where \(t) links to a page that takes 400 ms (\(t)slow) and to a chain of "
                    + "5 pages that take 5 ms each (a1 → a2 → ... → a5): a5 was fetched only \(ms(last.start)) ms into the crawl, "
                    + "after slow returned at \(ms(slow.end)) ms. Your crawl waits for every page at one distance before it "
                    + "fetches the next distance; start each fetch as soon as its URL is known (README, \"Do not wait\")")
        }
    }

    private func ms(_ d: Duration) -> Int { Int(d / .milliseconds(1)) }

    func testFetchesInParallel() throws {
        let web = GeneratedWeb(pages: 400, fanout: 4, latency: .milliseconds(20))
        let stats = try crawled(web, depth: 5)
        guard CrawlCheck.requireDone(stats, expected: CrawlCheck.within(web, depth: 5).found, "crawl(depth: 5)") else { return }
        // Level 4 of this web has 256 pages; a crawler that overlaps its fetches has many at once.
        if let p = CrawlCheck.overlapProblem(stats, "crawl(depth: 5)", atLeast: 16) { XCTFail(p) }
    }

    func testNothingLeftRunning() throws {
        for web in [GeneratedWeb(pages: 300, fanout: 4, latency: .milliseconds(3)), GeneratedWeb(pages: 50, fanout: 1, latency: .milliseconds(1))] {
            let stats = try crawled(web, depth: 8)
            guard CrawlCheck.requireDone(stats, expected: CrawlCheck.within(web, depth: 8).found, "crawl(depth: 8)") else { continue }
            for p in CrawlCheck.leftovers(stats, "crawl(depth: 8)") { XCTFail(p) }
        }
    }

    func testNoRaces() throws {
        try checkNoRaces("crawl(depth:)") {
            let generated = GeneratedWeb(pages: 500, fanout: 4, latency: .milliseconds(1))
            CrawlCheck.requireDone(try crawled(generated, depth: 6), expected: CrawlCheck.within(generated, depth: 6).found, "crawl(depth: 6)")
            let tour = TourWeb(latency: .milliseconds(1))
            CrawlCheck.requireDone(try crawled(tour, depth: 4), expected: CrawlCheck.within(tour, depth: 4).found, "crawl(depth: 4)")
        }
    }
}
