import Foundation
import LabKit

/// Which web a crawl runs on, from the command line; every crawl program takes the same flags,
/// and `crawl` passes them on unchanged so that every variant crawls the same web.
public struct WebSpec: Codable, Sendable, Equatable, CustomStringConvertible {
    public var web: String
    public var pages: Int
    public var fanout: Int
    public var latencySeconds: Double
    public var blocking: Bool
    /// A real website to crawl over HTTP instead of a simulated web (`--url`).
    public var url: String?
    /// With `url`: the most requests in flight to one host.
    public var perHost: Int?

    public static let kinds = ["tour", "generated"]

    public static let options: [Option] = [
        .value("--web", "WEB", "tour (the Go tour's 5 URLs) or generated.", default: "tour"),
        .value("--pages", "N", "Pages of the generated web.", default: "1000"),
        .value("--fanout", "N", "Links from each page to new pages (generated web).", default: "4"),
        .value("--latency", "DURATION", "Time every fetch takes, e.g. 50ms, 1s, 0.", default: "0"),
        .flag("--blocking", "Fetches block their thread (Thread.sleep) instead of suspending: see docs/crawler.md."),
        .value("--url", "URL", "Crawl the real website at URL over HTTP instead (see docs/real-web.md)."),
        .value("--per-host", "N", "With --url: the most requests in flight to one host.", default: "64"),
    ]

    /// Roughly what one URL costs a crawl in memory (the URL, its tasks, the visited set, the
    /// records): measured peaks at 100,000 pages were 2.4 KB per URL (crawl-mutex) and 3.0 KB
    /// (crawl-actor); 4 KB leaves room.
    public static let bytesPerURL = 4_000

    public init(web: String = "tour", pages: Int = 1000, fanout: Int = 4, latency: Duration = .zero, blocking: Bool = false) {
        self.web = web
        self.pages = pages
        self.fanout = fanout
        self.latencySeconds = latency.seconds
        self.blocking = blocking
    }

    public init(_ flags: Flags) throws {
        self.init(
            web: try flags.choice("--web", from: Self.kinds),
            pages: try flags.int("--pages", min: 1),
            fanout: try flags.int("--fanout", min: 1),
            latency: try flags.duration("--latency"),
            blocking: flags.has("--blocking"))
        if let text = flags.string("--url") {
            guard let u = URL(string: text), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  u.host?.isEmpty == false else {
                throw UsageError("--url: '\(text)' is not an http:// or https:// URL with a host")
            }
            url = text
            perHost = try flags.int("--per-host", min: 1)
        }
        if web == "generated" && url == nil {
            let urls = pages + (pages + 9) / 10
            let need = Double(urls) * Double(Self.bytesPerURL)
            let have = Double(ProcessInfo.processInfo.physicalMemory)
            if need > have / 2 {
                throw UsageError(
                    "--pages \(grouped(pages)) asks for \(grouped(urls)) URLs, about \(fixed(need / 1e9, 1)) GB to crawl;"
                    + " this machine has \(fixed(have / 1e9, 1)) GB, so at most \(grouped(Int(have / 2 / Double(Self.bytesPerURL) / 1.1))) pages")
            }
        }
    }

    public var latency: Duration { .nanoseconds(Int64((latencySeconds * 1e9).rounded())) }

    /// The flags that ask for this same web.
    public var arguments: [String] {
        var a = ["--web", web, "--latency", "\(Int64((latencySeconds * 1e9).rounded()))ns"]
        if web == "generated" { a += ["--pages", String(pages), "--fanout", String(fanout)] }
        if blocking { a.append("--blocking") }
        if let url { a += ["--url", url, "--per-host", String(perHost ?? 64)] }
        return a
    }

    public func makeWeb() -> any SimulatedWeb {
        if web == "tour" {
            var w = TourWeb(latency: latency)
            w.blocking = blocking
            return w
        }
        var w = GeneratedWeb(pages: pages, fanout: fanout, latency: latency)
        w.blocking = blocking
        return w
    }

    public var description: String {
        if let url { return "the website at \(url)" }
        let lat = latencySeconds == 0 ? "no latency" : "\(latency.short) per fetch" + (blocking ? ", blocking" : "")
        if web == "tour" { return "the Go tour web (\(lat))" }
        return "a generated web of \(grouped(pages)) pages, fanout \(fanout) (\(lat))"
    }
}
