import LabKit

// Wrong: no waiting for levels, and a page fetched already is followed again when a shorter path
// turns up. But each fetch carries the depth it was started with, and its links are followed with
// that depth: a shorter path that arrives while the page is still being fetched is lost.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    guard depth > 0 else { return }
    var best = [url: depth]
    var seen: [String: [String]] = [:]
    await withTaskGroup(of: (url: String, depth: Int, links: [String]).self) { group in
        group.addTask { (url, depth, (try? await fetcher.fetch(url)) ?? []) }
        for await page in group {
            seen[page.url] = page.links
            var again = [(page.url, page.depth)]
            while let (p, left) = again.popLast() {
                for u in seen[p]! where left - 1 > best[u, default: 0] {
                    let started = best[u] != nil
                    best[u] = left - 1
                    if !started {
                        group.addTask { (u, left - 1, (try? await fetcher.fetch(u)) ?? []) }
                    } else if seen[u] != nil {
                        again.append((u, left - 1))
                    }
                }
            }
        }
    }
}
