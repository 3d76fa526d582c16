import LabKit
import LabHarness

await CrawlProgram.main(
    variant: "crawl-serial",
    summary: "The lecture's serial crawler: one fetch at a time, each URL once."
) { url, fetcher in
    var fetched: Set<String> = []
    await serial(url, fetcher, &fetched)
}
