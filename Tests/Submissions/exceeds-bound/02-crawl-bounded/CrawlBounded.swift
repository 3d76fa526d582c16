import LabKit

// Broken on purpose: `<=` where `<` belongs, so one fetch more than allowed runs at once.

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    var waiting = [url]
    var next = 0
    await withTaskGroup(of: [String].self) { group in
        var running = 0
        while true {
            while running <= maxInFlight && next < waiting.count {
                let u = waiting[next]
                next += 1
                running += 1
                group.addTask { (try? await fetcher.fetch(u)) ?? [] }
            }
            guard let urls = await group.next() else {
                break
            }
            running -= 1
            for u in urls where fetched.insert(u).inserted {
                waiting.append(u)
            }
        }
    }
}
