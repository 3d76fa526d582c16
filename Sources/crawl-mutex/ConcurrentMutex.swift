import Foundation
import LabKit

// Concurrent crawler with shared state and a lock: the lecture's `ConcurrentMutex`.
// A task per new link where Go starts a goroutine, run at once on this thread up to its fetch
// (`addImmediateTask`: no trip through the pool's queue). The task group is the WaitGroup: it does
// not return until every child has finished, so the crawl ends only when the whole web is done.
// Go tests each URL in the child; we test before starting the child (as the lecture's channel
// coordinator does), so no task is started just to find its URL already fetched.

final class FetchState: @unchecked Sendable {  // unchecked: `mu` guards `fetched`
    private let mu = NSLock()
    private var fetched: Set<String> = []

    /// Marks `url` as fetched and says whether it already was: test and set in one step.
    func testAndSet(_ url: String) -> Bool {
        mu.lock()
        defer { mu.unlock() }
        return !fetched.insert(url).inserted
    }
}

func concurrentMutex(_ url: String, _ fetcher: any Fetcher, _ fs: FetchState) async {
    guard let urls = try? await fetcher.fetch(url) else {
        return
    }
    await withDiscardingTaskGroup { done in
        for u in urls where !fs.testAndSet(u) {
            done.addImmediateTask { await concurrentMutex(u, fetcher, fs) }
        }
    }  // done.Wait()
}

func concurrentMutex(start url: String, _ fetcher: any Fetcher) async {
    let fs = FetchState()
    _ = fs.testAndSet(url)
    await concurrentMutex(url, fetcher, fs)
}
