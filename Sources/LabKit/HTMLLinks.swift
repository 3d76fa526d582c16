import Foundation

/// The links of an HTML page: the `href` of every `<a>` element, resolved against the page's URL,
/// without fragments, http and https only, each once, in page order. Tolerant, as browsers are:
/// quoted or bare attribute values, any case, attributes over several lines, entities in URLs.
public enum HTMLLinks {
    public static func extract(_ html: String, base: URL, sameHostOnly: Bool = true) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for href in hrefs(Array(html.utf8)) where !href.hasPrefix("#") {  // "#top" is this page
            guard let url = URL(string: href, relativeTo: base)?.absoluteURL.standardized,
                  let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  !sameHostOnly || (url.host?.lowercased() == base.host?.lowercased() && url.port == base.port) else { continue }
            var text = url.absoluteString
            if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
            if seen.insert(text).inserted { out.append(text) }
        }
        return out
    }

    /// The `href` values of the `<a>` tags in `b`, entities decoded.
    static func hrefs(_ b: [UInt8]) -> [String] {
        var out: [String] = []
        var i = 0
        func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 12 }
        while i < b.count {
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            // Comments hide their contents.
            if i + 3 < b.count, b[i + 1] == UInt8(ascii: "!"), b[i + 2] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: "-") {
                var j = i + 4
                while j + 2 < b.count, !(b[j] == UInt8(ascii: "-") && b[j + 1] == UInt8(ascii: "-") && b[j + 2] == UInt8(ascii: ">")) { j += 1 }
                i = j + 3
                continue
            }
            guard i + 2 < b.count, lower(b[i + 1]) == UInt8(ascii: "a"), isSpace(b[i + 2]) else { i += 1; continue }
            i += 2
            // Attributes until the tag ends.
            while i < b.count, b[i] != UInt8(ascii: ">") {
                while i < b.count, isSpace(b[i]) || b[i] == UInt8(ascii: "/") { i += 1 }
                let n0 = i
                while i < b.count, !isSpace(b[i]), b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: ">") { i += 1 }
                let name = String(decoding: b[n0..<i].map(lower), as: UTF8.self)
                while i < b.count, isSpace(b[i]) { i += 1 }
                guard i < b.count, b[i] == UInt8(ascii: "=") else { if n0 == i { i += 1 }; continue }
                i += 1
                while i < b.count, isSpace(b[i]) { i += 1 }
                var value: ArraySlice<UInt8> = []
                if i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                    let q = b[i]
                    let v0 = i + 1
                    i = v0
                    while i < b.count, b[i] != q { i += 1 }
                    guard i < b.count else { return out }  // the page ends inside the value: no link
                    value = b[v0..<i]
                    i += 1
                } else {
                    let v0 = i
                    while i < b.count, !isSpace(b[i]), b[i] != UInt8(ascii: ">") { i += 1 }
                    value = b[v0..<i]
                }
                if name == "href" {
                    out.append(decodeEntities(String(decoding: value, as: UTF8.self)).trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
        }
        return out
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }
}
