import LabKit

// Wrong: no waiting for levels, and when a shorter path reaches a page already fetched, its links
// are followed again with the new depth. But only that page's: a page it links to that was
// fetched already gets the new depth and is not followed again, so what lies beyond is missed.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    guard depth > 0 else { return }
    var deepest = [url: depth]
    var known: [String: [String]] = [:]
    await withTaskGroup(of: (String, [String]).self) { group in
        func follow(_ page: String) {
            let d = deepest[page]! - 1
            for u in known[page]! where d > deepest[u, default: 0] {
                let started = deepest[u] != nil
                deepest[u] = d
                if !started { group.addTask { (u, (try? await fetcher.fetch(u)) ?? []) } }
            }
        }
        group.addTask { (url, (try? await fetcher.fetch(url)) ?? []) }
        for await (page, links) in group {
            known[page] = links
            follow(page)
            // A shorter path found late: the pages this one links to were reached with too
            // little depth; follow the ones fetched already once more.
            for u in links where known[u] != nil { follow(u) }
        }
    }
}
