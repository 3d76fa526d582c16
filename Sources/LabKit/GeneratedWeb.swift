/// A web of any size with a fixed rule (a contract: benchmarks and outside checks depend on it).
///
/// Pages `http://example.test/p/<i>` for `i` in `0..<pages`; the crawl starts at `p/0`. Page `i`
/// links, in this order, to `p/(i*fanout + k)` for `k = 1...fanout` where that is `< pages`, then
/// to `p/(i/2)`, then, when `i % 10 == 0`, to `http://example.test/missing/<i>`, which is not found.
/// Distinct URLs reached: `pages + ceil(pages/10)`.
///
/// Every URL string and link list is built once, when the web is made, so that a fetch costs the
/// crawler almost nothing beyond its latency: benchmarks then measure the crawler, not the simulator.
public struct GeneratedWeb: SimulatedWeb {
    public static let pagePrefix = "http://example.test/p/"
    public static let missingPrefix = "http://example.test/missing/"

    public let pages: Int
    public let fanout: Int
    public var latency: Duration
    public var blocking = false
    private let linkLists: [[String]]

    public init(pages: Int, fanout: Int, latency: Duration = .zero) {
        precondition(pages >= 1 && fanout >= 1, "a generated web needs at least one page and a fanout of 1")
        self.pages = pages
        self.fanout = fanout
        self.latency = latency
        let urls = (0..<pages).map(Self.url)
        linkLists = (0..<pages).map { i in
            var out = Self.linkedPages(i, pages: pages, fanout: fanout).map { urls[$0] }
            if i % 10 == 0 { out.append(Self.missingPrefix + String(i)) }
            return out
        }
    }

    public var start: String { Self.url(0) }
    public var distinctURLs: Int { pages + (pages + 9) / 10 }

    public static func url(_ i: Int) -> String { pagePrefix + String(i) }

    /// The page number in `url`, or `nil` when it is not one of this web's pages.
    public func page(_ url: String) -> Int? {
        guard url.hasPrefix(Self.pagePrefix) else { return nil }
        let digits = url.utf8.dropFirst(Self.pagePrefix.utf8.count)
        guard let first = digits.first, first != UInt8(ascii: "0") || digits.count == 1 else { return nil }
        var n = 0
        for c in digits {
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"), n < pages else { return nil }
            n = n * 10 + Int(c - UInt8(ascii: "0"))
        }
        return n < pages ? n : nil
    }

    /// Page `i`'s links as page numbers (children, then the parent `i/2`); see the rule above.
    public func linkedPages(_ i: Int) -> [Int] { Self.linkedPages(i, pages: pages, fanout: fanout) }

    static func linkedPages(_ i: Int, pages: Int, fanout: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(fanout + 1)
        let (first, overflow) = i.multipliedReportingOverflow(by: fanout)
        if !overflow {
            for k in 1...fanout {
                let (child, o) = first.addingReportingOverflow(k)
                if o || child >= pages { break }
                out.append(child)
            }
        }
        out.append(i / 2)
        return out
    }

    public func links(of url: String) -> [String]? {
        guard let i = page(url) else { return nil }
        return linkLists[i]
    }

    /// The same answer as the generic BFS, computed on page numbers so that millions of pages are cheap.
    public func shape() -> WebShape {
        WebShape(
            found: (0..<pages).map(Self.url).sorted(),
            missing: stride(from: 0, to: pages, by: 10).map { Self.missingPrefix + String($0) }.sorted(),
            criticalPathFetches: criticalPathFetches())
    }

    /// BFS depth of the deepest URL + 1, on page numbers (a missing page sits one below its page).
    public func criticalPathFetches() -> Int {
        var depth = [Int32](repeating: -1, count: pages)
        depth[0] = 0
        var queue = [0]
        queue.reserveCapacity(pages)
        var next = 0
        var deepest = 0
        while next < queue.count {
            let i = queue[next]
            next += 1
            let d = Int(depth[i])
            deepest = max(deepest, i % 10 == 0 ? d + 1 : d)
            for j in linkedPages(i) where depth[j] < 0 {
                depth[j] = Int32(d + 1)
                queue.append(j)
            }
        }
        return deepest + 1
    }
}
