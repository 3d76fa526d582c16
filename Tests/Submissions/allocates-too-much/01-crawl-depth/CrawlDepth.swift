import LabKit

// Right, but holds on to 4 GB it writes to, in every check: the grader must stop each check at
// its memory limit and say so, rather than let the machine swap.

nonisolated(unsafe) var hoard: [[UInt8]] = []

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    for _ in 0..<64 {
        hoard.append([UInt8](repeating: 1, count: 64 << 20))
    }
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
