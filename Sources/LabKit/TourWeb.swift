/// The Go tour's fake web, with the lecture's URLs: four pages found, `http://golang.org/cmd/` missing.
public struct TourWeb: SimulatedWeb {
    public let start = "http://golang.org/"
    public var latency: Duration
    public var blocking = false

    public init(latency: Duration = .zero) {
        self.latency = latency
    }

    /// The Go code's `fetcher` map (the page bodies are left out: crawlers only follow links).
    public static let pages: [String: [String]] = [
        "http://golang.org/": [
            "http://golang.org/pkg/",
            "http://golang.org/cmd/",
        ],
        "http://golang.org/pkg/": [
            "http://golang.org/",
            "http://golang.org/cmd/",
            "http://golang.org/pkg/fmt/",
            "http://golang.org/pkg/os/",
        ],
        "http://golang.org/pkg/fmt/": [
            "http://golang.org/",
            "http://golang.org/pkg/",
        ],
        "http://golang.org/pkg/os/": [
            "http://golang.org/",
            "http://golang.org/pkg/",
        ],
    ]

    public func links(of url: String) -> [String]? { Self.pages[url] }
}
