import LabKit
import LabHarness

await CrawlProgram.main(
    variant: "crawl-actor",
    summary: "Swift's answer to the lock: the lecture's ConcurrentMutex with the fetched set in an actor."
) { url, fetcher in
    await concurrentActor(start: url, fetcher)
}
