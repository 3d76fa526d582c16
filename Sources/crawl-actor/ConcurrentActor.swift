import LabKit

// Swift's answer to the lock: the fetched set lives in an actor, which runs one call at a time.
// The shape is the lecture's ConcurrentMutex; `await fs.testAndSet(u)` replaces lock/unlock,
// and the compiler rejects any access to `fetched` that does not go through the actor.

actor FetchedSet {
    private var fetched: Set<String> = []

    func testAndSet(_ url: String) -> Bool {
        !fetched.insert(url).inserted
    }
}

func concurrentActor(_ url: String, _ fetcher: any Fetcher, _ fs: FetchedSet) async {
    if await fs.testAndSet(url) {
        return
    }
    guard let urls = try? await fetcher.fetch(url) else {
        return
    }
    await withDiscardingTaskGroup { done in
        for u in urls {
            done.addTask { await concurrentActor(u, fetcher, fs) }
        }
    }
}
