import LabKit

// Swift's answer to the lock: the fetched set lives in an actor, which runs one call at a time.
// The shape is crawl-mutex's; `await fs.testAndSet(u)` replaces lock/unlock, and the compiler
// rejects any access to `fetched` that does not go through the actor.

actor FetchedSet {
    private var fetched: Set<String> = []

    func testAndSet(_ url: String) -> Bool {
        !fetched.insert(url).inserted
    }

    /// The links in `urls` not fetched yet, all marked fetched: one actor hop per page, not per link.
    func testAndSetAll(_ urls: [String]) -> [String] {
        urls.filter { fetched.insert($0).inserted }
    }
}

func concurrentActor(_ url: String, _ fetcher: any Fetcher, _ fs: FetchedSet) async {
    guard let urls = try? await fetcher.fetch(url) else {
        return
    }
    let new = await fs.testAndSetAll(urls)
    await withDiscardingTaskGroup { done in
        for u in new {
            done.addImmediateTask { await concurrentActor(u, fetcher, fs) }
        }
    }
}

func concurrentActor(start url: String, _ fetcher: any Fetcher) async {
    let fs = FetchedSet()
    _ = await fs.testAndSet(url)
    await concurrentActor(url, fetcher, fs)
}
