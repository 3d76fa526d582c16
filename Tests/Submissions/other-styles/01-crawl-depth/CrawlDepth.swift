import LabKit

// Right, in another style: an actor owns the set of URLs seen, and each fetch task claims the
// links it found in one call to it (test and insert in one step). Breadth first, level by level.

actor Seen {
    private var urls: Set<String>
    init(_ start: String) { urls = [start] }

    /// The links no one has claimed yet, now claimed.
    func claim(_ links: [String]) -> [String] {
        links.filter { urls.insert($0).inserted }
    }
}

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    let seen = Seen(url)
    var level = [url]
    for _ in 0..<depth where !level.isEmpty {
        level = await withTaskGroup(of: [String].self) { group in
            for u in level {
                group.addTask { await seen.claim((try? await fetcher.fetch(u)) ?? []) }
            }
            var next: [String] = []
            for await found in group { next += found }
            return next
        }
    }
}
