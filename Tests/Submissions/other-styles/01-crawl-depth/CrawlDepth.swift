import LabKit

// Right, in another style: an actor owns what the crawl knows, and each fetch task reports its
// page's links to it in one call, which answers with the URLs to fetch next. The task group only
// starts those; nothing waits for a level.

actor Frontier {
    /// The most depth left any path has brought each URL with.
    private var left: [String: Int]
    /// Each fetched page's links.
    private var links: [String: [String]] = [:]

    init(_ start: String, depth: Int) { left = [start: depth] }

    /// `page` was fetched: the URLs nobody has started yet, now started. A page reached again
    /// with more depth left has its links followed again, recursively, without a second fetch.
    func fetched(_ page: String, _ out: [String]) -> [String] {
        links[page] = out
        return follow(page)
    }

    private func follow(_ page: String) -> [String] {
        guard let out = links[page], let d = left[page].map({ $0 - 1 }), d > 0 else { return [] }
        var start: [String] = []
        for u in out where d > left[u] ?? 0 {
            let first = left[u] == nil
            left[u] = d
            start += first ? [u] : follow(u)
        }
        return start
    }
}

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    guard depth > 0 else { return }
    let frontier = Frontier(url, depth: depth)
    await withTaskGroup(of: [String].self) { group in
        @Sendable func fetch(_ u: String) async -> [String] {
            await frontier.fetched(u, (try? await fetcher.fetch(u)) ?? [])
        }
        group.addTask { await fetch(url) }
        for await next in group {
            for u in next { group.addTask { await fetch(u) } }
        }
    }
}
