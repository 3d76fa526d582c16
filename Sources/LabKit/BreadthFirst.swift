/// Breadth-first search over a web's links: what a correct crawl reaches from its start, and how
/// far each URL is. The one search behind a web's known answer (`shape`), a crawl to a depth
/// (`CrawlCheck.within`) and the level table (`crawl --levels`).
public enum BreadthFirst {
    public struct Result {
        /// Every URL reached, in the order reached.
        public var order: [String] = []
        /// Each reached URL's link distance from the start.
        public var distance: [String: Int] = [:]
        /// The reached URLs whose fetch fails (`links` gave nil): reached, but leading nowhere.
        public var missing: Set<String> = []
    }

    /// Searches from `start`, reaching only URLs closer than `limit` links (all, by default).
    /// `links` gives a URL's links, or nil when fetching it fails.
    public static func search(from start: String, closerThan limit: Int = .max, links: (String) -> [String]?) -> Result {
        var r = Result()
        guard limit > 0 else { return r }
        r.order = [start]
        r.distance[start] = 0
        var next = 0
        while next < r.order.count {
            let url = r.order[next]
            next += 1
            let d = r.distance[url]!
            guard let out = links(url) else {
                r.missing.insert(url)
                continue
            }
            for u in out where r.distance[u] == nil && d + 1 < limit {
                r.distance[u] = d + 1
                r.order.append(u)
            }
        }
        return r
    }
}
