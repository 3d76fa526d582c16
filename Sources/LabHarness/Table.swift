import Foundation
import LabKit

/// A plain-text table: a header, a rule, and rows; numbers are right-aligned.
public struct Table {
    public var columns: [String]
    public var rows: [[String]] = []

    public init(_ columns: [String]) { self.columns = columns }

    public mutating func add(_ row: [String]) {
        precondition(row.count == columns.count, "a row needs \(columns.count) cells")
        rows.append(row)
    }

    public func render() -> String {
        let widths = columns.indices.map { c in ([columns[c]] + rows.map { $0[c] }).map(\.count).max()! }
        func numeric(_ c: Int) -> Bool {
            c > 0 && rows.allSatisfy { $0[c].first.map { $0.isNumber || $0 == "-" || $0 == "—" } ?? true }
        }
        func line(_ cells: [String]) -> String {
            var text = cells.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - cells[c].count)
                return numeric(c) ? pad + cells[c] : cells[c] + pad
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }  // no padding after the last column
            return text
        }
        var out = line(columns) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}
