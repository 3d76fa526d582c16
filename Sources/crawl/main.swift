import Foundation
import LabKit
import LabHarness

// Runs every crawler variant on the same web, each in its own process (so each has its own
// peak memory), and prints one table. The variants are separate programs: see `Comparison.swift`.

let tool = Tool(
    name: "crawl",
    summary: "Run the lecture's crawlers side by side on the same web and compare them.",
    options: WebSpec.options + [
        .value("--variants", "LIST", "Comma-separated variants to run.", default: Comparison.variants.joined(separator: ",")),
        .flag("--json", "Print the reports as a JSON array instead of a table."),
        CrawlProgram.warmupOption,
    ],
    discussion: """
        COLUMNS:
          found/missing  URLs fetched successfully / that failed (must match the web)
          fetches, dup   calls to fetch, and those that repeated a URL (must be 0)
          in flight      the most fetches running at once (1 means no concurrency)
          wall           time the crawl took; speedup is serial's wall time over this one
          /limit         wall time over the critical-path limit: latency × the fetches that must
                         run one after another; 1.00 is as fast as any crawler can be
          sim, crawler   /limit = sim × crawler: sim is the limit computed from the fetch times
                         this run really saw over the nominal one (late wake-ups, the simulator's
                         share); crawler is wall time over that measured limit (the crawler's share)
          pages/s        fetches per second (shown for webs without latency)
          memory         peak resident memory of the variant's process

        EXAMPLES:
          crawl
          crawl --web generated --pages 2000 --latency 10ms
          crawl --web generated --pages 100000 --variants mutex,channel,group --json
        """)

await tool.main { flags in
    let spec = try WebSpec(flags)
    let variants = try flags.list("--variants", from: Comparison.variants)
    let warmup = try CrawlProgram.warmup(flags, spec)
    let reports = try Comparison.run(variants, on: spec, warmup: warmup)
    if flags.has("--json") {
        print(JSON.encode(reports))
    } else {
        print("Crawling \(spec)" + (warmup ? ", each variant after one untimed warm-up crawl" : "") + ":\n")
        print(Comparison.table(reports), terminator: "")
        for r in reports where !r.correct || r.leftRunning > 0 {
            print("\n" + CrawlProgram.describe(r), terminator: "")
        }
    }
}
