import LabKit
import LabTesting
@testable import crawl_actor
@testable import crawl_channel
@testable import crawl_group
@testable import crawl_mutex
@testable import crawl_serial

/// The crawler programs' algorithms, called the way their `main.swift` calls them.
struct Variant: Sendable {
    var name: String
    var concurrent: Bool
    var crawl: Crawl

    static let serial = Variant(name: "crawl-serial", concurrent: false) { url, fetcher in
        var fetched: Set<String> = []
        await crawl_serial.serial(url, fetcher, &fetched)
    }

    static let all: [Variant] = [
        serial,
        Variant(name: "crawl-mutex", concurrent: true) { await concurrentMutex($0, $1, FetchState()) },
        Variant(name: "crawl-channel", concurrent: true) { await concurrentChannel($0, $1) },
        Variant(name: "crawl-actor", concurrent: true) { await concurrentActor(start: $0, $1) },
        Variant(name: "crawl-group", concurrent: true) { await concurrentGroup($0, $1) },
    ]

    static var concurrentOnes: [Variant] { all.filter(\.concurrent) }
}
