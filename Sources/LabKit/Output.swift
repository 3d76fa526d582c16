import Foundation

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

/// JSON as every program prints it: sorted keys, indented, so output diffs and scripts cleanly.
public enum JSON {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Formats whole numbers with thousands separators: `12,345`.
public func grouped(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// `1 time`, `3 times`: a count with its noun, grouped, in the singular or the plural.
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(grouped(n)) \(n == 1 ? singular : plural ?? singular + "s")"
}

public func fixed(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
