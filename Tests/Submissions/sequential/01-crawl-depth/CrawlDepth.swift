import LabKit

// Broken on purpose: right, level by level, but each fetch is awaited before the next starts:
// a serial crawler.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    var level = [url]
    for _ in 0..<depth where !level.isEmpty {
        var links: [String] = []
        for u in level {
            links += (try? await fetcher.fetch(u)) ?? []
        }
        level = links.filter { fetched.insert($0).inserted }
    }
}
