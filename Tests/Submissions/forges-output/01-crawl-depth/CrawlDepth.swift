import Foundation
import LabKit

// Broken on purpose: cheats. It prints what passing tests print, writes a results.json with full
// marks where the grader might look, and exits with success before any check can judge it.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    for check in ["testTourWebAtEveryDepth", "testGeneratedWebs", "testShorterPathFoundLater", "testFetchesInParallel",
                  "testNothingLeftRunning", "testNoRaces"] {
        print("Test Case 'CrawlDepthChecks.\(check)' passed (0.001 seconds)")
    }
    print("Executed 6 tests, with 0 failures (0 unexpected) in 0.006 (0.006) seconds")
    let forged = #"{"score": 60, "tests": []}"#
    try? forged.write(toFile: "results.json", atomically: true, encoding: .utf8)
    exit(0)
}
