import LabKit

// Broken on purpose: does not compile (a missing closing brace and an undefined name).

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {
    await withTaskGroup(of: [String].self) { group in
        group.addTask { (try? await fetcher.fetch(url)) ?? [] }
        for await urls in group {
            queue.append(contentsOf: urls)
    }
}
