import CrawlBounded
import Foundation
import LabKit
import LabTesting
import XCTest

/// Exercise 2, `Exercises/02-crawl-bounded`: the points of each check are in its `exercise.json`.
final class CrawlBoundedChecks: ExerciseCase {
    func crawled(_ web: some SimulatedWeb, maxInFlight k: Int) throws -> (CrawlStats, Duration) {
        let clock = ContinuousClock()
        let t0 = clock.now
        let stats = try CrawlCheck.run("crawl(maxInFlight: \(k))", { url, fetcher in
            await CrawlBounded.crawl(url, maxInFlight: k, fetcher: fetcher)
        }, on: web, seconds: 30)
        let wall = clock.now - t0
        try skipIfNotAttempted()
        return (stats, wall)
    }

    /// How long a crawl of `web` takes when it keeps exactly `k` fetches running whenever it can:
    /// every fetch takes the web's latency, and a free slot takes the next URL found.
    static func greedyTime(_ web: some SimulatedWeb, k: Int) -> Duration {
        var seen: Set<String> = [web.start]
        var waiting = [web.start]
        var running: [(end: Duration, url: String)] = []  // in start order, so also in end order
        var now = Duration.zero
        while true {
            while running.count < k, !waiting.isEmpty {
                running.append((now + web.latency, waiting.removeFirst()))
            }
            guard !running.isEmpty else { return now }
            let done = running.removeFirst()
            now = done.end
            for u in web.links(of: done.url) ?? [] where seen.insert(u).inserted { waiting.append(u) }
        }
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
            XCTAssertLessThanOrEqual(stats.maxInFlight, k, "crawl(maxInFlight: \(k)) had \(stats.maxInFlight) fetches in flight at once")
        }
    }

    /// The bound must not cost more than it has to: with `k` slots and 20 ms fetches, the crawl
    /// should take about as long as one that always keeps `k` fetches running (at most 1.5 times).
    func testKeepsMaxInFlightBusy() throws {
        for (k, web) in [(8, GeneratedWeb(pages: 300, fanout: 4, latency: .milliseconds(20))),
                         (3, GeneratedWeb(pages: 90, fanout: 2, latency: .milliseconds(20)))] {
            let (_, wall) = try crawled(web, maxInFlight: k)
            let ideal = Self.greedyTime(web, k: k)
            XCTAssertLessThanOrEqual(wall, ideal * 1.5 + .milliseconds(50),
                "crawl(maxInFlight: \(k)) took \(wall.short) where keeping \(k) fetches running takes \(ideal.short): "
                + "when a fetch ends and a found URL is waiting, start it")
        }
    }

    func testNoRaces() throws {
        try checkNoRaces("crawl(maxInFlight:)") {
            _ = try crawled(GeneratedWeb(pages: 300, fanout: 4, latency: .milliseconds(1)), maxInFlight: 8)
            _ = try crawled(TourWeb(latency: .milliseconds(1)), maxInFlight: 2)
        }
    }
}
