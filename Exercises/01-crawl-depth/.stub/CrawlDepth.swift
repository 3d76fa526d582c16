import LabKit

// Exercise 1: the Go tour's crawler exercise. Read README.md first.
//
// Fetch every URL whose shortest link distance from `url` is less than `depth` (depth 1 fetches
// `url` alone), each exactly once, with fetches running in parallel. Return only when every fetch
// you started has finished.

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {
    notAttempted()  // delete this line when you start
}
