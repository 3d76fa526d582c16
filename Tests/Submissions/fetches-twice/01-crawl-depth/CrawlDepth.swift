import Foundation
import LabKit

// Broken on purpose: the Go tour's first attempt with a lock, marking a URL fetched only when its
// fetch has returned. Two pages that link to the same URL both start fetching it.

final class Fetched: @unchecked Sendable {
    let mu = NSLock()
    var urls: Set<String> = []
    func contains(_ u: String) -> Bool { mu.withLock { urls.contains(u) } }
    func insert(_ u: String) { _ = mu.withLock { urls.insert(u) } }
}

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    await crawl(url, depth, fetcher, Fetched())
}

func crawl(_ url: String, _ depth: Int, _ fetcher: any Fetcher, _ fetched: Fetched) async {
    if depth <= 0 || fetched.contains(url) {
        return
    }
    let urls = try? await fetcher.fetch(url)
    fetched.insert(url)
    await withTaskGroup(of: Void.self) { group in
        for u in urls ?? [] {
            group.addTask { await crawl(u, depth - 1, fetcher, fetched) }
        }
    }
}
