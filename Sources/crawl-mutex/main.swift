import LabKit
import LabHarness

await CrawlProgram.main(
    variant: "crawl-mutex",
    summary: "The lecture's ConcurrentMutex: a task per link, a locked set of fetched URLs."
) { url, fetcher in
    await concurrentMutex(url, fetcher, FetchState())
}
