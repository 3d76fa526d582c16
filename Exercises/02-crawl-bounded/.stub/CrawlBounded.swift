import LabKit

// Exercise 2: a polite crawler. Read README.md first.
//
// Fetch every URL reachable from `url`, each exactly once, with never more than `maxInFlight`
// fetches running at the same moment, and, whenever fewer are running while some URL is known
// and not yet fetched, start another one. Return only when every fetch has finished.

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {
    notAttempted()  // delete this line when you start
}
