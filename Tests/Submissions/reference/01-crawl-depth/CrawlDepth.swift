import LabKit

// Reference solution. Breadth first, one level at a time: every URL of a level is at the same
// shortest distance from the start, so a URL is first reached by its shortest path, and marking
// it fetched then is right. The fetches of one level run in parallel in a task group.

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
