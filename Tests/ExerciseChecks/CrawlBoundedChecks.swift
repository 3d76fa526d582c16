import CrawlBounded
import Foundation
import LabKit
import LabHarness
import LabTesting
import XCTest

/// Exercise 2, `Exercises/02-crawl-bounded`: the points of each check are in its `exercise.json`.
final class CrawlBoundedChecks: ExerciseCase {
    func crawled(_ web: some SimulatedWeb, maxInFlight k: Int) throws -> (CrawlStats, Duration) {
        let crawl = try Self.crawled(web, maxInFlight: k)
        try skipIfNotAttempted()
        return crawl
    }

    static func crawled(_ web: some SimulatedWeb, maxInFlight k: Int) throws -> (CrawlStats, Duration) {
        let clock = ContinuousClock()
        let t0 = clock.now
        let stats = try CrawlCheck.run("crawl(maxInFlight: \(k))", { url, fetcher in
            await CrawlBounded.crawl(url, maxInFlight: k, fetcher: fetcher)
        }, on: web, seconds: 30)
        return (stats, clock.now - t0)
    }

    /// How long a crawl of `web` takes when it keeps exactly `k` fetches running whenever it can:
    /// a slot that frees up takes the next URL found, in the order found.
    static func greedyTime(_ web: GraphWeb, k: Int) -> Duration {
        var seen: Set<String> = [web.start]
        var waiting = [web.start]
        var running: [(end: Duration, url: String)] = []
        var now = Duration.zero
        while true {
            while running.count < k, !waiting.isEmpty {
                let u = waiting.removeFirst()
                running.append((now + (web.slow[u] ?? web.latency), u))
            }
            guard let next = running.indices.min(by: { running[$0].end < running[$1].end }) else { return now }
            let done = running.remove(at: next)
            now = done.end
            for u in web.links(of: done.url) ?? [] where seen.insert(u).inserted { waiting.append(u) }
        }
    }

    /// A generated web where every fifth page is slow (80 ms, the others 10 ms), as real pages
    /// are: a crawler that waits for a whole batch of fetches waits for the slowest page in it.
    static func unevenWeb(pages: Int, fanout: Int) -> GraphWeb {
        let g = GeneratedWeb(pages: pages, fanout: fanout)
        var links: [String: [String]] = [:]
        var slow: [String: Duration] = [:]
        for i in 0..<pages {
            links[GeneratedWeb.url(i)] = g.linkedPages(i).map(GeneratedWeb.url)
            if i % 5 == 3 { slow[GeneratedWeb.url(i)] = .milliseconds(80) }
        }
        return GraphWeb(start: g.start, pages: links, latency: .milliseconds(10), slow: slow)
    }

    func testFindsEveryURLOnce() throws {
        let webs: [(any SimulatedWeb, String)] = [
            (TourWeb(latency: .milliseconds(2)), "the tour web"),
            (GeneratedWeb(pages: 300, fanout: 3, latency: .milliseconds(1)), "a generated web of 300 pages"),
            (GeneratedWeb(pages: 40, fanout: 1, latency: .milliseconds(1)), "a chain of 40 pages"),
        ]
        for (web, what) in webs {
            for k in [1, 3, 16] {
                let (stats, _) = try crawled(web, maxInFlight: k)
                CrawlCheck.assertExact(stats, web.shape(), "crawl(maxInFlight: \(k)) on \(what)")
            }
        }
    }

    func testNeverMoreThanMaxInFlight() throws {
        for (k, web) in [(1, GeneratedWeb(pages: 60, fanout: 4, latency: .milliseconds(5))),
                         (3, GeneratedWeb(pages: 200, fanout: 4, latency: .milliseconds(5))),
                         (8, GeneratedWeb(pages: 400, fanout: 5, latency: .milliseconds(5)))] {
            let (stats, _) = try crawled(web, maxInFlight: k)
            guard CrawlCheck.requireDone(stats, expected: web.shape().found, "crawl(maxInFlight: \(k))") else { continue }
            if stats.maxInFlight > k { XCTFail("crawl(maxInFlight: \(k)) had \(stats.maxInFlight) fetches in flight at once") }
        }
    }

    /// The bound must not cost more than it has to: the crawl should take about as long as one that
    /// keeps `k` fetches running whenever a found URL is waiting (`greedyTime`), at most 1.14 times
    /// that + 15 ms. The two crawls run at once (`twoAtATime`: each on its own web, timed against
    /// its own model; `make watch` waits for its slowest check). Measured so, under ThreadSanitizer
    /// on a 2-core machine: the reference takes 1.039 to 1.043 times the model (1.039 to 1.042 with
    /// a core kept busy); a crawler that keeps its window full within each level but waits between
    /// levels (fixture `level-barrier`) takes 1.21 to 1.22, one that waits for each batch 1.86 and 3.26.
    func testKeepsMaxInFlightBusy() throws {
        let crawls = twoAtATime([(8, Self.unevenWeb(pages: 300, fanout: 4)), (3, Self.unevenWeb(pages: 90, fanout: 2))]) { k, web in
            try Self.crawled(web, maxInFlight: k)
        }
        try skipIfNotAttempted()
        for ((k, web), crawl) in crawls {
            let (stats, wall) = try crawl.get()
            guard CrawlCheck.requireDone(stats, expected: web.shape().found, "crawl(maxInFlight: \(k))") else { continue }
            let ideal = Self.greedyTime(web, k: k)
            XCTAssertLessThanOrEqual(wall, ideal * 1.14 + .milliseconds(15),
                "crawl(maxInFlight: \(k)) took \(wall.short) where keeping \(k) fetches running takes \(ideal.short) "
                + "(every fifth page takes 80 ms, the others 10 ms): when a fetch ends and a found URL is waiting, start it")
        }
    }

    func testNoRaces() throws {
        try checkNoRaces("crawl(maxInFlight:)") {
            let generated = GeneratedWeb(pages: 300, fanout: 4, latency: .milliseconds(1))
            CrawlCheck.requireDone(try crawled(generated, maxInFlight: 8).0, expected: generated.shape().found, "crawl(maxInFlight: 8)")
            let tour = TourWeb(latency: .milliseconds(1))
            CrawlCheck.requireDone(try crawled(tour, maxInFlight: 2).0, expected: tour.shape().found, "crawl(maxInFlight: 2)")
        }
    }
}
