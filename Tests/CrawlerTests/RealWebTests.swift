import Foundation
import LabKit
import LabHarness
import LabNet
import LabTesting
import XCTest

/// Every crawler, unchanged, on real websites over HTTP: the lab's `site-server`, and the same site
/// written to files and served by Python's `http.server` (a server written by others).
final class RealWebTests: LabTestCase {
    static let pages = 150, fanout = 3

    /// Crawls `start` with every variant through an instrumented `HTTPFetcher` and checks each
    /// against the site's known answer.
    func crawlEveryVariant(_ start: String, origin: String, _ what: String, perHost: Int = 64) throws {
        let want = GeneratedSite(pages: Self.pages, fanout: Self.fanout).expectedShape(origin: origin)
        for v in Variant.all {
            let fetcher = InstrumentedFetcher(HTTPFetcher(timeout: .seconds(10), perHost: perHost))
            try withWatchdog(60, "\(v.name) crawling \(what)") { await v.crawl(start, fetcher) }
            let stats = fetcher.crawlDidReturn()
            CrawlCheck.assertExact(stats, want, "\(v.name) on \(what)")
            if v.concurrent {
                XCTAssertGreaterThan(stats.maxInFlight, 4, "\(v.name) on \(what) never overlapped its fetches")
            }
        }
    }

    func testEveryVariantCrawlsTheSiteServer() throws {
        for model in ConnectionModel.allCases {
            let (server, port) = try Programs.launchServer("site-server", ["--pages", "\(Self.pages)", "--fanout", "\(Self.fanout)", "--latency", "2ms",
                                                                           "--model", model.rawValue])
            defer { server.terminate() }
            let origin = "http://127.0.0.1:\(port)"
            try crawlEveryVariant(origin + GeneratedSite.startPath, origin: origin, "site-server's site, \(model) model")
            guard model == .threads else { continue }
        // The site's root redirects to the start page: a crawl from there finds the same pages,
        // plus the root itself.
            let fetcher = InstrumentedFetcher(HTTPFetcher())
            try withWatchdog(30, "crawl-mutex from the root") { await Variant.all[1].crawl(origin + "/", fetcher) }
            let stats = fetcher.crawlDidReturn()
            XCTAssertEqual(stats.found.count, Self.pages + 1, "the root (redirected to /p/0.html) and every page")
            XCTAssertEqual(stats.duplicateFetches, 0)
        }
    }

    /// The checks above can fail: over HTTP too, a crawler that forgets its visited set is caught
    /// fetching pages twice, and one that does not wait for its workers is caught returning before
    /// its pages are fetched.
    func testBrokenCrawlersAreCaughtOverHTTP() throws {
        let (server, port) = try Programs.launchServer("site-server", ["--pages", "10", "--fanout", "2", "--latency", "2ms"])
        defer { server.terminate() }
        let origin = "http://127.0.0.1:\(port)"
        let want = GeneratedSite(pages: 10, fanout: 2).expectedShape(origin: origin)
        for (name, crawl, expected) in [("path-only", Broken.pathOnlyCrawl, "fetched"), ("no-wait", Broken.noWaitCrawl, "never reported")] {
            let fetcher = InstrumentedFetcher(HTTPFetcher())
            try withWatchdog(30, "the \(name) crawler over HTTP") { await crawl(origin + GeneratedSite.startPath, fetcher) }
            let problems = CrawlCheck.problems(fetcher.crawlDidReturn(), want, "\(name) crawler")
            XCTAssertTrue(problems.contains { $0.contains(expected) }, "the \(name) crawler was not caught: \(problems)")
            try withWatchdog(10, "the \(name) crawler's leftovers") { while fetcher.stats().inFlight > 0 { try await Task.sleep(for: .milliseconds(10)) } }
        }
    }

    func testEveryVariantCrawlsTheSameSiteOnPythonsHTTPServer() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("skipped: python3 is not installed; this check serves the site with Python's http.server")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lab-site-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let wrote = try Programs.run("site-server", ["--write", dir.path, "--pages", "\(Self.pages)", "--fanout", "\(Self.fanout)"])
        XCTAssertEqual(wrote.status, 0, wrote.stderr)
        // Port 0 is not reported by http.server before Python 3.12's message; pick a free port here.
        let port = try freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-m", "http.server", "--bind", "127.0.0.1", "--directory", dir.path, String(port)]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate() }
        let origin = "http://127.0.0.1:\(port)"
        try withWatchdog(10, "Python's http.server starting") {
            while (try? await HTTPFetcher(timeout: .seconds(1)).fetch(origin + GeneratedSite.startPath)) == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        // Python's server accepts 5 connections at a time (its listen backlog): more, and their SYNs
        // are dropped and retried a second later. A polite crawler keeps to a few per host.
        try crawlEveryVariant(origin + GeneratedSite.startPath, origin: origin, "Python's http.server", perHost: 4)
    }

    /// Keep-alive: two requests sent at once on one connection get two answers, in order, and
    /// `Connection: close` ends the connection after its answer.
    func testSiteServerKeepsConnectionsAlive() throws {
        for model in ConnectionModel.allCases {
            let (server, port) = try Programs.launchServer("site-server", ["--pages", "10", "--model", model.rawValue])
            defer { server.terminate() }
            let (text, closed) = try exchange(port, "GET /p/1.html HTTP/1.1\r\nHost: t\r\n\r\nGET /p/2.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                                              wait: .seconds(5))
            XCTAssertTrue(closed, "\(model) model: Connection: close must end the connection")
            XCTAssertEqual(text.components(separatedBy: "HTTP/1.1 200 OK").count - 1, 2, text)
            XCTAssertLessThan(text.range(of: "<title>Page 1</title>")?.lowerBound ?? text.endIndex,
                              text.range(of: "<title>Page 2</title>")?.lowerBound ?? text.startIndex, "\(model) model: answers in order")
            XCTAssertTrue(text.contains("Connection: keep-alive") && text.contains("Connection: close"), text)
        }
    }

    /// What Go's `net/http` accepts, site-server accepts: lines ending in a bare LF. A request's
    /// body is read past by its Content-Length, never taken for the next request (whose Host
    /// would then be served in the links). What cannot be a request is answered 400, a head over
    /// 64 KB 431, and the connection closed.
    func testSiteServerReadsRequestsAsGoDoes() throws {
        for model in ConnectionModel.allCases {
            let (server, port) = try Programs.launchServer("site-server", ["--pages", "10", "--model", model.rawValue])
            defer { server.terminate() }
            let (bare, _) = try exchange(port, "GET /p/1.html HTTP/1.1\nHost: lf\nConnection: close\n\n")
            XCTAssertTrue(bare.hasPrefix("HTTP/1.1 200 OK\r\n") && bare.contains("http://lf/p/0.html"), "\(model) model: \(bare.prefix(80))")
            let smuggled = "GET /p/3.html HTTP/1.1\r\nHost: evil\r\n\r\n"
            let (posted, closed) = try exchange(port, "POST /p/1.html HTTP/1.1\r\nHost: good\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n"
                                                + smuggled + "GET /p/1.html HTTP/1.1\r\nHost: good\r\nConnection: close\r\n\r\n")
            XCTAssertTrue(closed)
            XCTAssertEqual(posted.components(separatedBy: "HTTP/1.1 ").count - 1, 2, "\(model) model: two requests, two answers: \(posted)")
            XCTAssertTrue(posted.hasPrefix("HTTP/1.1 405 Method Not Allowed"), "\(model) model: \(posted.prefix(60))")
            XCTAssertTrue(posted.contains("http://good/p/0.html") && !posted.contains("evil"), "\(model) model: the body was read as a request")
            // HEAD: the head alone, with the length the body would have had.
            let (get, _) = try exchange(port, "GET /p/1.html HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            let (head, _) = try exchange(port, "HEAD /p/1.html HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            XCTAssertEqual(head, String(get[..<get.range(of: "\r\n\r\n")!.upperBound]), "\(model) model: HEAD")
            let (missing, _) = try exchange(port, "HEAD /missing/1.html HTTP/1.1\r\nConnection: close\r\n\r\n")
            XCTAssertTrue(missing.hasPrefix("HTTP/1.1 404") && missing.hasSuffix("\r\n\r\n"), "\(model) model: a HEAD's 404 has no body: \(missing)")
            // The absolute form of the target, and Connection as a list of tokens.
            let (absolute, closedAfter) = try exchange(port, "GET http://127.0.0.1/p/1.html HTTP/1.1\r\nConnection: close, TE\r\n\r\n")
            XCTAssertTrue(absolute.hasPrefix("HTTP/1.1 200 OK") && closedAfter, "\(model) model: \(absolute.prefix(60))")
            for (request, status) in [("HELLO\r\n\r\n", "400 Bad Request"), ("GET /p/1.html HTTP/1.1\r\nno colon here\r\n\r\n", "400 Bad Request"),
                                      ("GET /p/1.html HTTP/1.junk\r\n\r\n", "400 Bad Request"),
                                      ("POST /p/1.html HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 30\r\n\r\n", "400 Bad Request"),
                                      ("POST /p/1.html HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", "400 Bad Request"),
                                      ("GET /p/1.html HTTP/1.1\r\nX: " + String(repeating: "y", count: 70_000) + "\r\n\r\n", "431 Request Header Fields Too Large"),
                                      ("GET /p/1.html HTTP/1.1\r\nX: " + String(repeating: "y", count: 70_000), "431 Request Header Fields Too Large")] {
                let (reply, closed) = try exchange(port, request)
                XCTAssertTrue(reply.hasPrefix("HTTP/1.1 \(status)\r\n"), "\(model) model: \(request.prefix(30)) -> \(reply.prefix(60))")
                XCTAssertTrue(closed, "\(model) model: \(request.prefix(30)) must close the connection")
            }
        }
    }

    /// `crawl --url` as a user types it: every variant's row from the same site.
    func testCrawlProgramWithURL() throws {
        let (server, port) = try Programs.launchServer("site-server", ["--pages", "60", "--latency", "1ms"])
        defer { server.terminate() }
        let r = try Programs.run("crawl", ["--url", "http://127.0.0.1:\(port)/p/0.html", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let reports = try JSON.decode([CrawlReport].self, from: r.stdout)
        XCTAssertEqual(reports.map(\.variant), Variant.all.map(\.name))
        for report in reports {
            XCTAssertEqual(report.found, 60, report.variant)
            XCTAssertEqual(report.missing, 6, report.variant)
            XCTAssertTrue(report.correct && report.leftRunning == 0, report.variant)
            XCTAssertGreaterThan(report.criticalPathSeconds, 0, "\(report.variant): a limit measured from the fetch times")
        }
        let table = try Programs.run("crawl", ["--url", "http://127.0.0.1:\(port)/p/0.html", "--variants", "serial,group"])
        XCTAssertTrue(table.stdout.contains("Crawling the website at http://127.0.0.1:\(port)/p/0.html"), table.stdout)
        XCTAssertTrue(table.stdout.contains("/limit") && table.stdout.contains("pages/s"), table.stdout)
    }

    func testBadURLsAndSiteFlags() throws {
        try Programs.assertUsageError("crawl", ["--url", "ftp://x.test/"], says: "--url")
        try Programs.assertUsageError("crawl-mutex", ["--url", "not a url"], says: "--url")
        try Programs.assertUsageError("crawl-group", ["--url", "http://x.test/", "--per-host", "0"], says: "--per-host")
        try Programs.assertUsageError("site-server", ["--pages", "0"], says: "--pages")
        try Programs.assertUsageError("site-server", ["--latency", "soon"], says: "--latency")
        try Programs.assertUsageError("site-server", ["--model", "fibers", "--write", "/tmp/never"], says: "--model must be one of threads, tasks")
    }

    func testLinkExtraction() {
        let base = URL(string: "http://site.test/dir/page.html?q=1")!
        let html = """
            <html><head><link href="/style.css" rel="stylesheet"><base-ish></head><body>
            <a href="other.html">relative</a> <a href='../up.html#frag'>up, with a fragment</a>
            <A HREF=bare.html>bare, upper case</A> <a class="x"
               href = "./sub/deep.html?x=1&amp;y=2" >attribute over lines, an entity</a>
            <a href="/root.html">root-relative</a> <a href="http://site.test/dir/other.html">absolute, a repeat</a>
            <a href="https://elsewhere.test/x">other host</a> <a href="mailto:me@site.test">mail</a>
            <a href="#top">fragment alone</a> <a href="javascript:void(0)">script</a> <a name="anchor">no href</a>
            <!-- <a href="commented.html">hidden</a> --> <abbr href="notalink.html">not an a tag</abbr>
            <a href="?page=2">query only</a> <a href="unclosed.html
            """
        XCTAssertEqual(HTMLLinks.extract(html, base: base), [
            "http://site.test/dir/other.html", "http://site.test/up.html", "http://site.test/dir/bare.html",
            "http://site.test/dir/sub/deep.html?x=1&y=2", "http://site.test/root.html",
            "http://site.test/dir/page.html?page=2",
        ])
        XCTAssertEqual(HTMLLinks.extract(#"<a href="https://elsewhere.test/x">"#, base: base, sameHostOnly: false), ["https://elsewhere.test/x"])
        XCTAssertEqual(HTMLLinks.extract(#"<a href="http://site.test:8080/x">other port</a><p>"#, base: base), [], "another port is another site")
        XCTAssertEqual(HTMLLinks.extract("<a", base: base), [], "a page cut short")
    }

    /// A slow page, a refused connection, a 404 and a redirect loop each end as a failed fetch,
    /// promptly, and never as a hang.
    func testFailuresAreFailedFetches() throws {
        let (server, port) = try Programs.launchServer("site-server", ["--pages", "10"])
        defer { server.terminate() }
        let origin = "http://127.0.0.1:\(port)"
        let closed = try freePort()  // nothing listens there
        let cases: [(String, String)] = [
            (origin + "/slow", "timed out"), ("http://127.0.0.1:\(closed)/p/0.html", ""),
            (origin + "/missing/0.html", "HTTP 404"), (origin + "/loop", ""),
        ]
        let fetcher = HTTPFetcher(timeout: .seconds(1))
        for (url, reason) in cases {
            let outcome = try withWatchdog(20, "fetching \(url)") { () -> Result<[String], any Error> in
                do { return .success(try await fetcher.fetch(url)) } catch { return .failure(error) }
            }
            switch outcome {
            case .success(let links): XCTFail("\(url) should fail, but gave \(links.count) links")
            case .failure(let e):
                let fe = e as? FetchError
                XCTAssertNotNil(fe, "\(url): \(e) is not a FetchError")
                if !reason.isEmpty { XCTAssertEqual(fe?.reason, reason, url) }
            }
        }
        XCTAssertEqual(try withWatchdog(10, "fetching the stylesheet") { try await fetcher.fetch(origin + "/style.css") }, [],
                       "a response that is not HTML has no links")
    }
}
