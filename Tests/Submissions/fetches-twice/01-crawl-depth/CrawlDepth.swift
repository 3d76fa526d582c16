import Foundation
import LabKit

// Broken on purpose: a wrong fix for the exercise's trap. It remembers each URL together with the
// depth it was reached at, so a URL reached again with a different depth is fetched again.

final class Seen: @unchecked Sendable {
    let mu = NSLock()
    var pairs: Set<String> = []
    func testAndSet(_ url: String, _ depth: Int) -> Bool { mu.withLock { !pairs.insert("\(depth) \(url)").inserted } }
}

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    await crawl(url, depth, fetcher, Seen())
}

func crawl(_ url: String, _ depth: Int, _ fetcher: any Fetcher, _ seen: Seen) async {
    if depth <= 0 || seen.testAndSet(url, depth) {
        return
    }
    guard let urls = try? await fetcher.fetch(url) else {
        return
    }
    await withTaskGroup(of: Void.self) { group in
        for u in urls {
            group.addTask { await crawl(u, depth - 1, fetcher, seen) }
        }
    }
}
