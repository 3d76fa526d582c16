import Foundation
import LabKit
import LabTesting
@testable import crawl_mutex

// Deliberately broken crawlers. Each checker in CrawlerTests must catch its fixture: a checker
// that cannot fail proves nothing.

/// ConcurrentMutex with its lock removed: `testAndSet` reads and writes the fetched flags with
/// no synchronization, so two tasks can both see "not fetched" (the lecture's race).
/// The flags are plain memory, one per URL of a generated web, not a `Set`: a `Set` mutated by two
/// threads at once crashes the whole test process (Swift's form of Go's "concurrent map writes"),
/// while a racing `Bool` only gives wrong answers, which is what ThreadSanitizer must find.
final class UnlockedFetchState: @unchecked Sendable {
    let web: GeneratedWeb
    let fetched: UnsafeMutableBufferPointer<Bool>

    init(_ web: GeneratedWeb) {
        self.web = web
        fetched = .allocate(capacity: web.distinctURLs)
        fetched.initialize(repeating: false)
    }

    deinit { fetched.deallocate() }

    func testAndSet(_ url: String) -> Bool {
        let i = web.page(url) ?? web.pages + Int(url.dropFirst(GeneratedWeb.missingPrefix.count))! / 10
        let r = fetched[i]
        fetched[i] = true
        return r
    }
}

func unlockedMutex(_ url: String, _ fetcher: any Fetcher, _ fs: UnlockedFetchState) async {
    if fs.testAndSet(url) { return }
    guard let urls = try? await fetcher.fetch(url) else { return }
    await withDiscardingTaskGroup { done in
        for u in urls { done.addTask { await unlockedMutex(u, fetcher, fs) } }
    }
}

/// Forgets the visited test: it only avoids the URLs on its own path (so it ends), and fetches a
/// page once for every path that reaches it.
func pathOnly(_ url: String, _ fetcher: any Fetcher, _ path: Set<String>) async {
    if path.contains(url) { return }
    guard let urls = try? await fetcher.fetch(url) else { return }
    await withDiscardingTaskGroup { done in
        for u in urls { done.addTask { await pathOnly(u, fetcher, path.union([url])) } }
    }
}

/// Forgets the WaitGroup: starts its children as unstructured tasks and returns at once,
/// leaving the rest of the crawl running behind its caller's back.
func noWait(_ url: String, _ fetcher: any Fetcher, _ fs: FetchState) async {
    if fs.testAndSet(url) { return }
    guard let urls = try? await fetcher.fetch(url) else { return }
    for u in urls {
        Task { await noWait(u, fetcher, fs) }
    }
}

enum Broken {
    static func unlocked(_ web: GeneratedWeb) -> Crawl { { await unlockedMutex($0, $1, UnlockedFetchState(web)) } }
    static let pathOnlyCrawl: Crawl = { await pathOnly($0, $1, []) }
    static let noWaitCrawl: Crawl = { await noWait($0, $1, FetchState()) }
}
