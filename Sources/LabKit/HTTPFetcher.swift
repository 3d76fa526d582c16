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
