import LabKit

// Does nothing: it never exceeds the bound and never races, but must earn none of those checks.

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {}
