import LabKit
import Foundation

// Hostile on purpose: a crawl that tries to change the grader's files, as code
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
    tamper()  // and crawls nothing: the checks fail, which is not what the test looks at
}
