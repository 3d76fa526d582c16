import LabKit
import LabHarness

await CrawlProgram.main(
    variant: "crawl-group",
    summary: "Swift's answer to the channel: a task group whose results are the links, no counter needed."
) { url, fetcher in
    await concurrentGroup(url, fetcher)
}
