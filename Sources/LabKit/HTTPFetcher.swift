import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches real pages over HTTP with `URLSession`, and returns the links of each HTML page: the
/// crawlers' `Fetcher` for a real web. Redirects are followed, and links are resolved against
/// the page's final URL. A 4xx or 5xx status, a timeout, a refused connection or a redirect loop
/// is a failed fetch (it throws). A response that is not HTML succeeds with no links.
/// At most `perHost` requests run at once to one host: a crawler may start thousands of fetches,
/// and a polite one does not open thousands of connections to one server.
public final class HTTPFetcher: Fetcher, Sendable {
    public let sameHostOnly: Bool
    public let perHost: Int
    let session: URLSession
    let limits = LockedBox<[String: AsyncLimit]>([:])

    /// - Parameter timeout: how long a fetch may take, in whole seconds (rounded up).
    public init(timeout: Duration = .seconds(10), perHost: Int = 64, sameHostOnly: Bool = true) {
        let config = URLSessionConfiguration.ephemeral
        // Foundation on Linux keeps whole seconds of a timeout (measured: 1.5 s waits 1 s, and
        // 0.8 s times out at once), so round up to a whole second.
        let seconds = max(1, timeout.seconds.rounded(.up))
        config.timeoutIntervalForRequest = seconds
        config.timeoutIntervalForResource = seconds
        config.httpMaximumConnectionsPerHost = perHost
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: config)
        self.perHost = perHost
        self.sameHostOnly = sameHostOnly
    }

    deinit { session.invalidateAndCancel() }

    public func fetch(_ url: String) async throws -> [String] {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw FetchError(url: url, reason: "not an http URL")
        }
        let limit = limits.withValue { all in
            let key = u.host ?? ""
            if let l = all[key] { return l }
            let l = AsyncLimit(perHost)
            all[key] = l
            return l
        }
        await limit.acquire()
        defer { limit.release() }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(from: u)
        } catch {
            throw FetchError(url: url, reason: Self.reason(error))
        }
        guard let http = response as? HTTPURLResponse else { throw FetchError(url: url, reason: "not an HTTP response") }
        guard http.statusCode < 400 else { throw FetchError(url: url, reason: "HTTP \(http.statusCode)") }
        let type = (http.value(forHTTPHeaderField: "Content-Type") ?? "").lowercased()
        guard type.hasPrefix("text/html") || type.hasPrefix("application/xhtml") else { return [] }
        let page = http.url ?? u
        return HTMLLinks.extract(String(decoding: data, as: UTF8.self), base: page, sameHostOnly: sameHostOnly)
    }

    static func reason(_ error: any Error) -> String {
        guard let e = error as? URLError else { return "\(error)" }
        switch e.code {
        case .timedOut: return "timed out"
        case .cannotConnectToHost: return "connection refused"
        case .httpTooManyRedirects: return "too many redirects"
        default: return e.localizedDescription
        }
    }
}

/// At most `n` holders at once; the others wait, suspended, in the order they came.
final class AsyncLimit: @unchecked Sendable {  // unchecked: lock guards everything
    private let lock = NSLock()
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    init(_ n: Int) { free = n }

    func acquire() async {
        if lock.withLock({ () -> Bool in
            guard free > 0 else { return false }
            free -= 1
            return true
        }) { return }
        await withCheckedContinuation { c in
            // A slot may have come free since the test above: take it, or queue.
            let now = lock.withLock { () -> Bool in
                if free > 0 {
                    free -= 1
                    return true
                }
                waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    /// Hands the slot to the next waiter, if any.
    func release() {
        lock.lock()
        guard head < waiting.count else {
            free += 1
            lock.unlock()
            return
        }
        let next = waiting[head]
        head += 1
        if head > 1024, head * 2 > waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        lock.unlock()
        next.resume()
    }
}

/// The links of an HTML page: the `href` of every `<a>` element, resolved against the page's URL,
/// without fragments, http and https only, each once, in page order. Tolerant, as browsers are:
/// quoted or bare attribute values, any case, attributes over several lines, entities in URLs.
public enum HTMLLinks {
    public static func extract(_ html: String, base: URL, sameHostOnly: Bool = true) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for href in hrefs(Array(html.utf8)) where !href.hasPrefix("#") {  // "#top" is this page
            guard let url = URL(string: href, relativeTo: base)?.absoluteURL.standardized,
                  let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  !sameHostOnly || (url.host?.lowercased() == base.host?.lowercased() && url.port == base.port) else { continue }
            var text = url.absoluteString
            if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
            if seen.insert(text).inserted { out.append(text) }
        }
        return out
    }

    /// The `href` values of the `<a>` tags in `b`, entities decoded.
    static func hrefs(_ b: [UInt8]) -> [String] {
        var out: [String] = []
        var i = 0
        func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
        while i < b.count {
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            // Comments hide their contents.
            if i + 3 < b.count, b[i + 1] == UInt8(ascii: "!"), b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                var j = i + 4
                while j + 2 < b.count, !(b[j] == UInt8(ascii: "-") && b[j + 1] == UInt8(ascii: "-") && b[j + 2] == UInt8(ascii: ">")) { j += 1 }
                i = j + 3
                continue
            }
            guard i + 2 < b.count, lower(b[i + 1]) == UInt8(ascii: "a"), isSpace(b[i + 2]) else { i += 1; continue }
            i += 2
            // Attributes until the tag ends.
            while i < b.count, b[i] != UInt8(ascii: ">") {
                while i < b.count, isSpace(b[i]) || b[i] == UInt8(ascii: "/") { i += 1 }
                let n0 = i
                while i < b.count, !isSpace(b[i]), b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ">") { i += 1 }
                let name = String(decoding: b[n0..<i].map(lower), as: UTF8.self)
                while i < b.count, isSpace(b[i]) { i += 1 }
                guard i < b.count, b[i] == UInt8(ascii: "=") else { if n0 == i { i += 1 }; continue }
                i += 1
                while i < b.count, isSpace(b[i]) { i += 1 }
                var value: ArraySlice<UInt8> = []
                if i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                    let q = b[i]
                    let v0 = i + 1
                    i = v0
                    while i < b.count, b[i] != q { i += 1 }
                    guard i < b.count else { return out }  // the page ends inside the value: no link
                    value = b[v0..<i]
                    i += 1
                } else {
                    let v0 = i
                    while i < b.count, !isSpace(b[i]), b[i] != UInt8(ascii: ">") { i += 1 }
                    value = b[v0..<i]
                }
                if name == "href" {
                    out.append(decodeEntities(String(decoding: value, as: UTF8.self)).trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
        }
        return out
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }
}
