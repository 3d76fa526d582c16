import LabKit
import LabHarness

await CrawlProgram.main(
    variant: "crawl-channel",
    summary: "The lecture's ConcurrentChannel: a coordinator owns the fetched set, workers send links."
) { url, fetcher in
    await concurrentChannel(url, fetcher)
}
