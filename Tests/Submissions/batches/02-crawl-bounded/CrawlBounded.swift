import LabKit

// Broken on purpose: never more than `maxInFlight` fetches, but in batches: it starts `maxInFlight`,
// waits for all of them, then starts the next batch. A slow page holds up its whole batch.

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    var waiting = [url]
    while !waiting.isEmpty {
        let batch = Array(waiting.prefix(maxInFlight))
        waiting.removeFirst(batch.count)
        let links = await withTaskGroup(of: [String].self) { group in
            for u in batch {
                group.addTask { (try? await fetcher.fetch(u)) ?? [] }
            }
            var all: [String] = []
            for await urls in group {
                all += urls
            }
            return all
        }
        waiting += links.filter { fetched.insert($0).inserted }
    }
}
