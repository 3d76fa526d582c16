import LabKit
import Foundation

// Hostile on purpose: a right crawl that, as it runs, tries to change the grader's files, as code
// run as the grader's own user could: a results.json of its own making, and a line added to
// run_autograder; and to copy out a reference solution. Run as another user (LAB_GRADE_CHECKS_AS),
// it can do none of it.

func tamper() {
    guard let root = ProcessInfo.processInfo.environment["AUTOGRADER_ROOT"] else { return }
    if let answer = FileManager.default.contents(atPath: root + "/source/lab/Tests/Submissions/reference/01-crawl-depth/CrawlDepth.swift") {
        try? answer.write(to: URL(fileURLWithPath: "/tmp/lab-tampers-read-the-reference"))
    }
    try? Data("{\"score\": 100}".utf8).write(to: URL(fileURLWithPath: root + "/results/tampered.json"))
    if let h = FileHandle(forWritingAtPath: root + "/source/run_autograder") {
        h.seekToEndOfFile()
        h.write(Data("\n# tampered\n".utf8))
        h.closeFile()
    }
}

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    tamper()
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
