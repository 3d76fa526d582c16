import Foundation
import LabKit

// Right, but it starts a process that ignores SIGTERM, SIGHUP and SIGINT, and
// never waits for it: the grader must end it before writing any result, and leave nothing running.

let straggler: Void = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", "trap '' TERM HUP INT; sleep 120; echo lab-fixture-straggler"]
    try? p.run()
}()

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    straggler
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
