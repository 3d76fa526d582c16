import LabKit

// Swift's answer to the channel: structured concurrency. The task group is the channel (each
// child's result arrives through `for await`) and the counter `n` at once: the loop ends when
// no child is left. One task owns `fetched`, as the coordinator does, so no lock is needed.
// The first child waits in the pool's queue like any task (`addTask`); the others start at once
// on this thread up to their fetch (`addImmediateTask`): 544,000 against 391,000 fetches/s
// without latency in `make bench`'s table, the same at 50 ms.

func concurrentGroup(_ url: String, _ fetcher: any Fetcher) async {
    var fetched: Set<String> = [url]
    await withTaskGroup(of: [String].self) { workers in
        workers.addTask { (try? await fetcher.fetch(url)) ?? [] }
        for await urls in workers {
            for u in urls where fetched.insert(u).inserted {
                workers.addImmediateTask { (try? await fetcher.fetch(u)) ?? [] }
            }
        }
    }
}
