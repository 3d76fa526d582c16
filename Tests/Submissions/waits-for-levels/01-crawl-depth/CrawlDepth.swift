import LabKit

// Right, but breadth first, one level at a time: every URL of a level is at the same shortest
// distance, so marking it fetched when first found is right, and the fetches of a level run in
// parallel. But the next level starts only when the slowest page of this one has returned.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    var level = [url]
    for _ in 0..<depth where !level.isEmpty {
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
