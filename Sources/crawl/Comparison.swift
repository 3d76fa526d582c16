import Foundation
import LabKit
import LabHarness

enum Comparison {
    static let variants = ["serial", "mutex", "channel", "actor", "group"]

    /// Runs `crawl-<variant> --json` (with `--warmup` when asked) for each variant, next to this
    /// program, on the web of `spec`.
    static func run(_ variants: [String], on spec: WebSpec, warmup: Bool = false) throws -> [CrawlReport] {
        let err = Terminal.standardError
        defer { err.clearProgress() }
        return try variants.enumerated().map { i, v in
            err.progress("crawl: running crawl-\(v) (\(i + 1) of \(variants.count))…")
            return try Subprocess.report(CrawlReport.self, from: "crawl-\(v)", spec.arguments + ["--json", "--quiet"] + (warmup ? ["--warmup"] : []))
        }
    }

    /// One row per variant. With latency, wall time over the critical-path limit, split into the
    /// simulator's share (the limit from the fetch times really seen, over the nominal limit) and the
    /// crawler's (wall time over that measured limit); without latency, fetches per second.
    static func table(_ reports: [CrawlReport]) -> String {
        let serial = reports.first { $0.variant == "crawl-serial" }
        let real = reports.first?.web.url != nil
        let latency = !real && (reports.first.map { $0.web.latencySeconds > 0 } ?? false)
        var t = Table(["variant", "found", "missing", "fetches", "dup", "in flight", "wall", "speedup"]
                      + (latency ? ["/limit", "sim", "crawler"] : real ? ["/limit", "pages/s"] : ["pages/s"]) + ["memory"])
        for r in reports {
            var row = [
                r.variant, grouped(r.found), grouped(r.missing), grouped(r.fetches), grouped(r.duplicateFetches),
                grouped(r.maxInFlight), Duration.nanoseconds(Int64(r.wallSeconds * 1e9)).short,
                serial.map { fixed($0.wallSeconds / max(r.wallSeconds, 1e-9), 1) + "×" } ?? "—",
            ]
            if latency {
                row += [fixed(r.wallSeconds / r.criticalPathSeconds, 3),
                        fixed(r.measuredCriticalPathSeconds / r.criticalPathSeconds, 3),
                        fixed(r.wallSeconds / r.measuredCriticalPathSeconds, 3)]
            } else if real {
                row += [r.criticalPathSeconds > 0 ? fixed(r.wallSeconds / r.criticalPathSeconds, 3) : "—", grouped(Int(r.pagesPerSecond))]
            } else {
                row.append(grouped(Int(r.pagesPerSecond)))
            }
            row.append("\(grouped(r.peakMemoryBytes >> 20)) MB")
            t.add(row)
        }
        return t.render() + notes(latency: latency, real: real, slower: reports.contains { r in
            serial.map { r.wallSeconds > $0.wallSeconds } ?? false
        })
    }

    /// The lines under the table that say how to read it, so that it reads without the docs.
    static func notes(latency: Bool, real: Bool, slower: Bool) -> String {
        var out: [String] = []
        if latency || real {
            out.append("/limit: wall time over the critical-path limit, the least any crawler could take (1.000: none\n"
                       + "        lost).")
        }
        if latency {
            out.append("sim: how late the simulated fetches on that path ended; crawler: the rest, the crawler's own cost.")
        }
        if !latency && !real && slower {
            out.append("Without latency there is no waiting to overlap: a concurrent crawler only adds its costs,\n"
                       + "so a speedup under 1× is expected.")
        }
        return out.isEmpty ? "" : "\n" + out.joined(separator: "\n") + "\n"
    }
}
