import LabKit

// Broken on purpose: a correct parallel crawler of the whole web that never looks at `depth`.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    await withTaskGroup(of: [String].self) { group in
        group.addTask { (try? await fetcher.fetch(url)) ?? [] }
        for await urls in group {
            for u in urls where fetched.insert(u).inserted {
                group.addTask { (try? await fetcher.fetch(u)) ?? [] }
            }
        }
    }
}
