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

/// A binary min-heap of (key, value) pairs.
struct MinHeap<Key: Comparable, Value> {
    private var items: [(Key, Value)] = []

    mutating func push(_ key: Key, _ value: Value) {
        items.append((key, value))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent].0 <= items[i].0 { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    func peek() -> (Key, Value)? { items.first }

    mutating func pop() -> (Key, Value)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < items.count && items[l].0 < items[m].0 { m = l }
            if r < items.count && items[r].0 < items[m].0 { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}
