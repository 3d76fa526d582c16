import Foundation
import LabSys

/// What every crawler calls: the lecture's `Fetcher` interface, made `async`.
///
/// Go's `Fetch(url) (urls []string, err error)` becomes a function that suspends while the
/// page loads (it never blocks a thread) and throws when the page cannot be fetched.
public protocol Fetcher: Sendable {
    /// Fetches `url` and returns the URLs its page links to, in page order.
    func fetch(_ url: String) async throws -> [String]
}

/// A fetch that failed: the page is missing, or the web could not be reached.
public struct FetchError: Error, Equatable, CustomStringConvertible, Sendable {
    public var url: String
    public var reason: String

    public init(url: String, reason: String = "not found") {
        self.url = url
        self.reason = reason
    }

    public var description: String { "\(reason): \(url)" }
}

/// A web whose whole link graph is known in advance, so a crawl can be checked against it:
/// which URLs a correct crawl finds, which it reports missing, and how fast it could possibly be.
public protocol SimulatedWeb: Fetcher {
    /// Where a crawl starts.
    var start: String { get }
    /// How long every fetch takes.
    var latency: Duration { get }
    /// Whether a fetch blocks its thread for the latency (`Thread.sleep`) instead of suspending
    /// its task: the mistake that starves Swift's cooperative pool, kept to be seen.
    var blocking: Bool { get }
    /// The links of the page at `url` without any latency, or `nil` when that page is missing.
    func links(of url: String) -> [String]?
    /// The shape of a crawl of this web: what a correct crawl finds and its critical path.
    func shape() -> WebShape
}

/// What a correct crawl of a simulated web must produce.
public struct WebShape: Sendable, Equatable {
    /// URLs whose fetch succeeds, sorted.
    public var found: [String]
    /// URLs that are linked but whose fetch fails, sorted.
    public var missing: [String]
    /// Fetches on the longest chain that must run one after another: BFS depth of the deepest URL + 1.
    public var criticalPathFetches: Int

    public init(found: [String], missing: [String], criticalPathFetches: Int) {
        self.found = found
        self.missing = missing
        self.criticalPathFetches = criticalPathFetches
    }

    public var distinctURLs: Int { found.count + missing.count }
}

extension SimulatedWeb {
    public var blocking: Bool { false }

    public func fetch(_ url: String) async throws -> [String] {
        if blocking {
            blockThisThread(for: latency)
        } else if latency > .zero {
            try await LatencyTimer.shared.sleep(for: latency)
        } else if lab_stack_is_low() != 0 {
            // A fetch without latency returns at once, so a crawler that starts each child with
            // `addImmediateTask` goes depth first on this thread's stack; suspending unwinds it.
            await Task.yield()
        }
        guard let links = links(of: url) else { throw FetchError(url: url) }
        return links
    }

    /// Breadth-first search from `start` over the link graph: the exact answer a crawl must give.
    public func shape() -> WebShape {
        let r = BreadthFirst.search(from: start, links: links(of:))
        return WebShape(found: r.order.filter { !r.missing.contains($0) }.sorted(), missing: r.missing.sorted(),
                        criticalPathFetches: (r.distance.values.max() ?? 0) + 1)
    }

    /// The fastest any crawler can finish: latency × fetches on the critical path.
    public var criticalPathLimit: Duration { latency * shape().criticalPathFetches }
}

/// Blocks the calling thread. Swift 6 refuses `Thread.sleep` written directly in async code, but
/// not inside a synchronous function like this one, which is how blocking really slips into tasks:
/// a blocking read, a semaphore, a lock wait, all behind an ordinary-looking call.
func blockThisThread(for duration: Duration) {
    Thread.sleep(forTimeInterval: duration.seconds)
}
