import Foundation
import LabKit

/// A crawl drawn as a table, one row per fetch in the order they started: when it ran (in ms, and
/// as a bar on the crawl's time axis, `|` where the crawl returned), how many fetches ran at once,
/// how far the URL lies from the start, and what was wrong with it. What `make trace` shows for
/// the crawl exercises, as `vote --trace` draws an election.
public enum CrawlTable {
    /// At most this many rows: the first ones, and those near a fault; the rest are summed up.
    public static let maxRows = 40

    public static func render(_ t: CrawlTrace, width: Int = 32) -> String {
        let faults = t.faults
        var fault: [String: String] = [:]  // URL → the first fault it has
        for f in faults { for u in f.urls where fault[u] == nil { fault[u] = f.what } }
        let inFlight = t.inFlight
        let depth = t.parameter?.name == "depth" ? t.parameter?.value : nil
        let bound = t.parameter?.name == "maxInFlight" ? t.parameter?.value : nil
        var seen: Set<String> = []
        var notes: [String] = []
        for (i, f) in t.fetches.enumerated() {
            var note: [String] = []
            if !seen.insert(f.url).inserted { note.append("again") }
            if let d = t.distance[f.url], let depth, d >= depth { note.append("beyond depth \(depth)") }
            if let bound, inFlight[i] > bound { note.append("over the bound of \(bound)") }
            if let r = t.returnedMs, f.endMs > r { note.append("after return") }
            if !t.distance.isEmpty, t.distance[f.url] == nil { note.append("not linked from the start") }
            if f.links == nil { note.append("missing page") }
            notes.append(note.joined(separator: ", "))
        }
        // Which rows to show: the first few, and two on either side of each row with a fault.
        var shown = Set(0..<min(10, t.fetches.count))
        for (i, n) in notes.enumerated() where !n.isEmpty && n != "missing page" { shown.formUnion(max(0, i - 2)...min(t.fetches.count - 1, i + 2)) }
        var rows = shown.sorted()
        if rows.count > maxRows { rows = Array(rows.prefix(maxRows)) }

        let end = max(t.fetches.map(\.endMs).max() ?? 0, t.returnedMs ?? 0, 1)
        // Clamped before it becomes an Int: a trace file is read back, and may hold anything.
        func col(_ ms: Double) -> Int { Int(min(Double(width - 1), max(0, (ms / end * Double(width - 1)).rounded()))) }
        func bar(_ f: CrawlTrace.Fetch) -> String {
            var cells = Array(repeating: Character(" "), count: width)
            if let r = t.returnedMs { cells[col(r)] = "|" }
            for c in col(f.startMs)...max(col(f.startMs), col(f.endMs)) { cells[c] = "=" }
            return String(cells)
        }
        var table = Table(["#", "start ms", "end ms", "in flight", "links from start", "URL", "when (| returned)", "note"])
        var last = -1
        for i in rows {
            if i > last + 1 { table.add(["…", "", "", "", "", "(\(i - last - 1) fetches)", "", ""]) }
            let f = t.fetches[i]
            table.add(["\(i + 1)", String(format: "%.1f", f.startMs), String(format: "%.1f", f.endMs), "\(inFlight[i])",
                       t.distance[f.url].map(String.init) ?? "?", f.url, bar(f), notes[i]])
            last = i
        }
        if last < t.fetches.count - 1 { table.add(["…", "", "", "", "", "(\(t.fetches.count - 1 - last) fetches)", "", ""]) }

        let returned = t.returnedMs.map { "it returned at " + String(format: "%.1f", $0) + " ms" } ?? "it never returned"
        guard !t.fetches.isEmpty else { return "\(t.crawl) from \(t.start) fetched nothing; \(returned).\n" }
        var out = "\(t.crawl) from \(t.start): \(t.fetches.count) fetches, at most \(t.maxInFlight) at once; \(returned).\n\n" + table.render()
        if t.dropped > 0 { out += "(\(t.dropped) more fetches were not kept)\n" }
        if t.stillRunning > 0 { out += "\(t.stillRunning) fetch(es) were still running a moment after crawl returned (not drawn: they had not ended).\n" }
        if !faults.isEmpty { out += "\nFaults in this crawl:\n" }
        for f in faults {
            let urls = f.urls.prefix(5).map { u in f.what.hasPrefix("never") ? "\(u) (\(t.distance[u] ?? -1) links from the start)" : u }
            out += "  \(f.what)" + (urls.isEmpty ? "" : ": " + urls.joined(separator: ", ") + (f.urls.count > 5 ? ", and \(f.urls.count - 5) more" : "")) + "\n"
        }
        if faults.isEmpty {
            out += "\nWhat it fetched shows no fault (each URL once, " + (t.distance.isEmpty ? "" : "all of them, ")
                + "none after return): the check's complaint is about time; see its message.\n"
        }
        return out
    }
}
