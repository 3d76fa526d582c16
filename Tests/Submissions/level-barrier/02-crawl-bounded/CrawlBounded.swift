import LabKit

// Keeps `maxInFlight` fetches running within each level, but waits for the whole level before it
// starts the next: a slot that frees up near the end of a level stays empty while the level's
// slowest pages finish, though URLs of the next level are waiting. Right, and slower than it
// must be.

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    var level = [url]
    while !level.isEmpty {
        var next: [String] = []
        await withTaskGroup(of: [String].self) { group in
            var started = 0
            var running = 0
            while started < level.count || running > 0 {
                while running < maxInFlight && started < level.count {
                    let u = level[started]
                    started += 1
                    running += 1
                    group.addTask { (try? await fetcher.fetch(u)) ?? [] }
                }
                guard let urls = await group.next() else { break }
                running -= 1
                for u in urls where fetched.insert(u).inserted { next.append(u) }
            }
        }
        level = next
    }
}
