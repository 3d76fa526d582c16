import LabKit

// Broken on purpose: level by level in parallel, but the last level's fetches are started in
// tasks of their own that nobody waits for: `crawl` returns while they are still running.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    var level = [url]
    for d in 0..<depth where !level.isEmpty {
        if d == depth - 1 {
            for u in level {
                Task { _ = try? await fetcher.fetch(u) }  // their links are not needed, so why wait?
            }
            return
        }
        let links = await withTaskGroup(of: [String].self) { group in
            for u in level {
                group.addTask { (try? await fetcher.fetch(u)) ?? [] }
            }
            var all: [String] = []
            for await urls in group {
                all += urls
            }
            return all
        }
        level = links.filter { fetched.insert($0).inserted }
    }
}
