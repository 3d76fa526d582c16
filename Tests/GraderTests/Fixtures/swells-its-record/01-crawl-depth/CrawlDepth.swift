import Foundation
import LabKit

// Hostile on purpose: swells the file its check's process writes its record in (the grader names
// it in LAB_GRADE_RECORD) to 8 GB, all of it a hole that takes no disk, so that a grader that reads
// the record back whole would take 8 GB of memory for it. And crawls nothing.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    guard let record = ProcessInfo.processInfo.environment["LAB_GRADE_RECORD"] else { return }
    truncate(record, 8 << 30)
}
