import LabKit
/// The critical-path limit of a crawl: no crawler can fetch a URL before some chain of fetches that
/// leads to it has finished, one after another. The limit is the largest, over all URLs, of the
/// cheapest such chain. With one latency `L` for every fetch it is `L × (BFS depth of the deepest
/// URL + 1)`; with measured fetch times it is Dijkstra's shortest path, each node weighing its fetch.
public enum CriticalPath {
    /// - Parameters:
    ///   - links: the links of a fetched page (`nil`: missing or never fetched).
    ///   - cost: how long the fetch of a URL took (`nil`: never fetched, so not on any chain).
    public static func limit(
        from start: String, links: (String) -> [String]?, cost: (String) -> Duration?
    ) -> Duration {
        guard let c0 = cost(start) else { return .zero }
        var best: [String: Duration] = [start: c0]
        var heap = MinHeap<Duration, String>()
        heap.push(c0, start)
        var done: Set<String> = []
        var limit = Duration.zero
        while let (d, url) = heap.pop() {
            guard done.insert(url).inserted else { continue }
            limit = max(limit, d)
            for u in links(url) ?? [] where !done.contains(u) {
                guard let c = cost(u) else { continue }
                let nd = d + c
                if best[u].map({ nd < $0 }) ?? true {
                    best[u] = nd
                    heap.push(nd, u)
                }
            }
        }
        return limit
    }
}
