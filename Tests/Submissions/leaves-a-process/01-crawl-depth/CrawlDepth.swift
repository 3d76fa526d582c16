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
