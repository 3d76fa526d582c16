import LabKit

// Reference solution. The lecture's coordinator, in a task group: the function owns what the crawl
// knows (no lock), child tasks fetch, and each page's links are handled as it arrives, so no
// fetch waits for an unrelated page. `left[u]` is the most depth any path has brought `u` with
// (1: fetch it, follow nothing). A shorter path found later brings more depth: a page already
// fetched has its links followed again from `links`, without a second fetch; a page still being
// fetched is followed with the new depth when its links arrive.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    guard depth > 0 else { return }
    var left = [url: depth]
    var links: [String: [String]] = [:]
    await withTaskGroup(of: (String, [String]).self) { group in
        group.addTask { (url, (try? await fetcher.fetch(url)) ?? []) }
        for await (page, out) in group {
            links[page] = out
            var follow = [page]
            while let p = follow.popLast() {
                let d = left[p]! - 1
                for u in links[p]! where d > left[u, default: 0] {
                    let known = left[u] != nil
                    left[u] = d
                    if !known {
                        group.addTask { (u, (try? await fetcher.fetch(u)) ?? []) }
                    } else if links[u] != nil {
                        follow.append(u)
                    }
                }
            }
        }
    }
}
