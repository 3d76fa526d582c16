import Foundation
import LabSched

// The lecture's ConcurrentMutex crawler without its lock:
//
//   func ConcurrentMutex(url string, fetcher Fetcher, f *fetchState) {
//       already := f.fetched[url]      // was: f.mu.Lock()
//       f.fetched[url] = true
//       if already { return }          // was: f.mu.Unlock() before it
//       urls, err := fetcher.Fetch(url)
//       if err != nil { return }
//       var done sync.WaitGroup
//       for _, u := range urls {
//           done.Go(func() { ConcurrentMutex(u, fetcher, f) })
//       }
//       done.Wait()
//   }
//
// The test of fetched[url] and its setting are two steps: two threads can both find a page
// unfetched, and both fetch it.

/// A small web with a page that two others link to, and a cycle back to the start.
let web: [String: [String]] = ["a": ["b", "c"], "b": ["c"], "c": ["a"]]

/// What was fetched: bookkeeping outside the program, not a step of it.
final class FetchLog: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func fetch(_ url: String) -> [String]? {
        lock.withLock { counts[url, default: 0] += 1 }
        return web[url]
    }
    var twice: [String] { lock.withLock { counts.filter { $0.value > 1 }.keys.sorted() } }
    var total: Int { lock.withLock { counts.values.reduce(0, +) } }
}

func concurrentNoLock(_ url: String, _ fetcher: FetchLog, _ fetched: Shared<[String: Bool]>) {
    let already = fetched[url] ?? false
    fetched[url] = true
    if already { return }
    guard let urls = fetcher.fetch(url) else { return }
    let done = WaitGroup("done")
    for u in urls {
        done.go { concurrentNoLock(u, fetcher, fetched) }
    }
    done.wait()
}

let crawlNoLock = Scenario(
    name: "crawl-nolock", summary: "the lecture's ConcurrentMutex crawler without its lock: a page fetched twice",
    goal: "make the crawler fetch a page twice", reached: { $0.kinds.contains(.assertion) },
    bugs: [.race, .assertion]
) {
    let fetcher = FetchLog()
    let fetched = Shared<[String: Bool]>("fetched", [:])
    concurrentNoLock("a", fetcher, fetched)
    check(fetcher.twice.isEmpty, "fetched \(fetcher.twice.joined(separator: ", ")) twice")
    return "\(fetcher.total) fetches"
}
