import Foundation
import LabKit

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
