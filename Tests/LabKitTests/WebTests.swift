import LabKit
import LabHarness
import LabTesting
import XCTest

/// The generated web is a contract (docs/webs.md): benchmarks and outside checks depend on it exactly.
final class WebTests: LabTestCase {
    let p = GeneratedWeb.pagePrefix
    let m = GeneratedWeb.missingPrefix

    func testGeneratedLinksFollowTheRuleInOrder() {
        let web = GeneratedWeb(pages: 10, fanout: 4)
        XCTAssertEqual(web.links(of: p + "0"), [p + "1", p + "2", p + "3", p + "4", p + "0", m + "0"])
        XCTAssertEqual(web.links(of: p + "1"), [p + "5", p + "6", p + "7", p + "8", p + "0"])
        XCTAssertEqual(web.links(of: p + "2"), [p + "9", p + "1"], "children only while < pages")
        XCTAssertEqual(web.links(of: p + "9"), [p + "4"])
        XCTAssertEqual(GeneratedWeb(pages: 30, fanout: 1).links(of: p + "20"), [p + "21", p + "10", m + "20"])
    }

    func testOnlyThePagesOfTheWebAreFound() {
        let web = GeneratedWeb(pages: 10, fanout: 4)
        for bad in [p + "10", p + "01", p + "", p + "x", p + "-1", m + "0", "http://golang.org/", p + "99999999999999999999"] {
            XCTAssertNil(web.links(of: bad), bad)
        }
        XCTAssertNotNil(web.links(of: p + "0"))
    }

    func testDistinctURLsAndCriticalPath() {
        // pages, fanout, critical-path fetches (BFS depth of the deepest URL + 1)
        let cases = [(1, 1, 2), (1, 4, 2), (9, 4, 3), (10, 4, 3), (11, 4, 4), (10, 1, 10), (10_000, 4, 9), (100, 37, 4)]
        for (pages, fanout, fetches) in cases {
            let web = GeneratedWeb(pages: pages, fanout: fanout)
            let shape = web.shape()
            XCTAssertEqual(shape.distinctURLs, pages + (pages + 9) / 10, "\(pages) pages")
            XCTAssertEqual(shape.criticalPathFetches, fetches, "\(pages) pages, fanout \(fanout)")
        }
    }

    /// The fast shape of the generated web agrees with the generic BFS every simulated web has.
    func testGeneratedShapeAgreesWithGenericBFS() {
        struct Plain: SimulatedWeb {
            let web: GeneratedWeb
            var start: String { web.start }
            var latency: Duration { .zero }
            func links(of url: String) -> [String]? { web.links(of: url) }
        }
        for (pages, fanout) in [(1, 1), (57, 1), (1_000, 4), (777, 37), (2_345, 3)] {
            let web = GeneratedWeb(pages: pages, fanout: fanout)
            XCTAssertEqual(web.shape(), Plain(web: web).shape(), "\(pages) pages, fanout \(fanout)")
        }
    }

    func testTourWeb() {
        let shape = TourWeb().shape()
        XCTAssertEqual(shape.found, ["http://golang.org/", "http://golang.org/pkg/", "http://golang.org/pkg/fmt/",
                                     "http://golang.org/pkg/os/"])
        XCTAssertEqual(shape.missing, ["http://golang.org/cmd/"])
        XCTAssertEqual(shape.criticalPathFetches, 3)
        XCTAssertEqual(TourWeb(latency: .milliseconds(10)).criticalPathLimit, .milliseconds(30))
    }

    func testFetchFailsWithNotFound() throws {
        let result = try withWatchdog(5, "fetching a missing page") {
            do {
                _ = try await TourWeb().fetch("http://golang.org/cmd/")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(result, "not found: http://golang.org/cmd/")
    }
}

final class CriticalPathTests: LabTestCase {
    /// a → b → d costs 1+5+1 = 7, a → c → d costs 1+1+1 = 3: d's limit is the cheaper chain.
    func testCheapestChainToEachURLAndTheLargestOfThose() {
        let links = ["a": ["b", "c"], "b": ["d"], "c": ["d"], "d": [String]()]
        let cost: [String: Duration] = ["a": .seconds(1), "b": .seconds(5), "c": .seconds(1), "d": .seconds(1)]
        let limit = CriticalPath.limit(from: "a", links: { links[$0] }, cost: { cost[$0] })
        XCTAssertEqual(limit, .seconds(6), "b alone is reached at 1+5 = 6; d at 3")
    }

    func testUniformLatencyGivesDepthPlusOne() {
        let web = GeneratedWeb(pages: 500, fanout: 3)
        let limit = CriticalPath.limit(from: web.start, links: { web.links(of: $0) },
                                       cost: { _ in .milliseconds(10) })
        XCTAssertEqual(limit, .milliseconds(10) * web.shape().criticalPathFetches)
    }
}

final class InstrumentationTests: LabTestCase {
    func testCountsFetchesDuplicatesAndOverlap() throws {
        let stats = try withWatchdog(10, "instrumented fetches") {
            let f = InstrumentedFetcher(TourWeb(latency: .milliseconds(20)))
            await withDiscardingTaskGroup { g in
                for url in ["http://golang.org/", "http://golang.org/", "http://golang.org/cmd/"] {
                    g.addTask { _ = try? await f.fetch(url) }
                }
            }
            return f.crawlDidReturn()
        }
        XCTAssertEqual(stats.fetches, 3)
        XCTAssertEqual(stats.fetchedTwice, ["http://golang.org/": 2])
        XCTAssertEqual(stats.duplicateFetches, 1)
        XCTAssertEqual(stats.found, ["http://golang.org/"])
        XCTAssertEqual(stats.missing, ["http://golang.org/cmd/"])
        XCTAssertEqual(stats.maxInFlight, 3, "three 20 ms fetches started together overlap")
        XCTAssertEqual(stats.inFlight, 0)
    }

    func testLatencyTimerSleepsAtLeastItsDurationAndStopsOnCancel() throws {
        let slept = try withWatchdog(10, "latency timer") {
            let clock = ContinuousClock()
            let t0 = clock.now
            try await LatencyTimer.shared.sleep(for: .milliseconds(30))
            return clock.now - t0
        }
        XCTAssertGreaterThanOrEqual(slept, .milliseconds(30))
        let cancelled = try withWatchdog(10, "cancelled latency timer") {
            let t = Task { try await LatencyTimer.shared.sleep(for: .seconds(60)) }
            try await Task.sleep(for: .milliseconds(20))
            t.cancel()
            return await t.result
        }
        XCTAssertThrowsError(try cancelled.get()) { XCTAssertTrue($0 is CancellationError) }
    }
}
