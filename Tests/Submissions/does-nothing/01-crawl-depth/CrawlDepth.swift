import LabKit

// Deletes the stub's notAttempted() and does nothing: it must earn nothing, not the checks of
// how a crawl works (it never overlaps, never leaves anything running, never races).

public func crawl(_ url: String, depth: Int, fetcher: any Fetcher) async {}
