import Foundation
import LabKit

// Broken on purpose: breadth first, each level's fetches in parallel, and each task marks the
// links it finds in a shared set guarded by a lock. But it asks "seen?" and says "seen!" in two
// locked calls: two tasks that find the same link at the same moment can both hear "not seen",
// and both fetch it. (The fix: one call that tests and inserts, like Set.insert's `inserted`.)

final class Visited: @unchecked Sendable {  // unchecked: lock guards seen
    private let lock = NSLock()
    private var seen: Set<String>
    init(_ start: String) { seen = [start] }
    func contains(_ url: String) -> Bool { lock.withLock { seen.contains(url) } }
    func insert(_ url: String) { lock.withLock { _ = seen.insert(url) } }
}

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    let visited = Visited(url)
    var level = [url]
    for _ in 0..<depth where !level.isEmpty {
        level = await withTaskGroup(of: [String].self) { group in
            for u in level {
                group.addTask {
                    var fresh: [String] = []
                    for link in (try? await fetcher.fetch(u)) ?? [] where !visited.contains(link) {
                        visited.insert(link)  // the bug: a second step, after the test
                        fresh.append(link)
                    }
                    return fresh
                }
            }
            var next: [String] = []
            for await found in group { next += found }
            return next
        }
    }
}
