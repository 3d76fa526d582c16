import LabKit

// Right, in another style: a pool of `maxInFlight` worker tasks. Each takes the next URL from an
// actor that owns the frontier, fetches it, and hands back the links. A worker that finds the
// frontier empty while others still fetch waits for what they find; when no one fetches and
// nothing is waiting, every worker is told the crawl is over.

actor Frontier {
    private var seen: Set<String>
    private var queue: [String]
    private var head = 0
    private var fetching = 0
    private var idle: [CheckedContinuation<String?, Never>] = []

    init(_ start: String) {
        seen = [start]
        queue = [start]
    }

    /// The next URL to fetch, or nil when the crawl is over.
    func take() async -> String? {
        if head < queue.count {
            fetching += 1
            head += 1
            return queue[head - 1]
        }
        if fetching == 0 { return nil }
        return await withCheckedContinuation { idle.append($0) }
    }

    func done(_ links: [String]) {
        fetching -= 1
        for l in links where seen.insert(l).inserted { queue.append(l) }
        while !idle.isEmpty && head < queue.count {
            fetching += 1
            head += 1
            idle.removeFirst().resume(returning: queue[head - 1])
        }
        if fetching == 0 && head == queue.count {
            for w in idle { w.resume(returning: nil) }
            idle = []
        }
    }
}

public func crawl(_ url: String, maxInFlight: Int, fetcher: any Fetcher) async {
    let frontier = Frontier(url)
    await withTaskGroup(of: Void.self) { workers in
        for _ in 0..<maxInFlight {
            workers.addTask {
                while let u = await frontier.take() {
                    await frontier.done((try? await fetcher.fetch(u)) ?? [])
                }
            }
        }
    }
}
