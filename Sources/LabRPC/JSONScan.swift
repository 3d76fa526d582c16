/// A validating JSON scanner that finds where values are in a message without building them:
/// the server hands a request's `params[0]` bytes straight to `GoJSON` and echoes its `id`
/// byte for byte, as Go does; the client reads a reply's `result` bytes the same way.
/// (Parsing into `Any` and writing parts back took a third of the CPU of a call.)
public enum JSONScan {
    public struct Malformed: Error {}
    /// Nested deeper than `JSONFramer.maxDepth`.
    public struct TooDeep: Error {}

    /// The fields of an object: where each name and each value is in the message's bytes.
    /// Looking one up compares bytes; no string is made for a name (a call looks up three).
    public struct Fields: Sendable {
        let b: [UInt8]
        var fields: [(name: Range<Int>, value: Range<Int>)] = []

        /// The value of the member `name`, in any case; the last one if it comes more than once,
        /// as Go takes it (the last that is not `null`, when `skippingNull`).
        public subscript(name: String, skippingNull skippingNull: Bool = false) -> Range<Int>? {
            JSONScan.lastMatch(b, fields, name, skippingNull: skippingNull)
        }
    }

    /// Whether the string literal at `range` of `b` is `name`, ignoring case as Go's decoder
    /// does when it matches a member to a field. ASCII names are compared byte by byte.
    static func nameMatches(_ b: [UInt8], _ range: Range<Int>, _ name: String) -> Bool {
        let inner = b[(range.lowerBound + 1)..<(range.upperBound - 1)]
        let plain = !inner.contains { $0 == UInt8(ascii: "\\") || $0 >= 0x80 }
        if plain, inner.count == name.utf8.count {
            return zip(inner, name.utf8).allSatisfy { a, n in a == n || (a | 0x20 == n | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z")) }
        }
        if plain { return false }
        guard let s = JSONScan.string(b, range) else { return false }
        return s.lowercased() == name.lowercased()
    }

    /// Go's rule for a member that comes more than once, or in more than one case: the last one
    /// counts. For a field that a `null` leaves as it is (a string, a number), the last one that
    /// is not `null`, when `skippingNull`.
    static func lastMatch(_ b: [UInt8], _ fields: [(name: Range<Int>, value: Range<Int>)], _ name: String, skippingNull: Bool) -> Range<Int>? {
        if skippingNull, let f = fields.last(where: { b[$0.value.lowerBound] != UInt8(ascii: "n") && nameMatches(b, $0.name, name) }) {
            return f.value
        }
        return fields.last { nameMatches(b, $0.name, name) }?.value
    }

    /// The fields of the top-level object in `b`, each as the byte range of its value.
    /// Throws `Malformed` for anything that is not valid JSON; returns nil for valid non-objects.
    public static func objectFields(_ b: [UInt8]) throws -> Fields? {
        var s = Scanner(b: b, i: 0)
        s.space()
        var fields: Fields? = nil
        if s.peek == UInt8(ascii: "{") {
            fields = Fields(b: b)
            try s.object { name, value in fields!.fields.append((name, value)) }
        } else {
            _ = try s.value()
        }
        s.space()
        guard s.i == b.count else { throw Malformed() }
        return fields
    }

    /// The elements of the array at `range` of `b` (already validated by `objectFields`), or nil.
    public static func arrayElements(_ b: [UInt8], _ range: Range<Int>) -> [Range<Int>]? {
        guard b[range.lowerBound] == UInt8(ascii: "[") else { return nil }
        var s = Scanner(b: b, i: range.lowerBound)
        var out: [Range<Int>] = []
        guard (try? s.array { out.append($0) }) != nil else { return nil }
        return out
    }

    /// The string value at `range` (quotes included), or nil when it is not a string.
    public static func string(_ b: [UInt8], _ range: Range<Int>) -> String? {
        guard b[range.lowerBound] == UInt8(ascii: "\""), range.count >= 2 else { return nil }
        let inner = b[(range.lowerBound + 1)..<(range.upperBound - 1)]
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        var out = [UInt8]()
        var i = inner.startIndex
        while i < inner.endIndex {
            let c = inner[i]
            i += 1
            guard c == UInt8(ascii: "\\"), i < inner.endIndex else { out.append(c); continue }
            let e = inner[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= inner.endIndex, var v = UInt32(String(decoding: inner[i..<i + 4], as: UTF8.self), radix: 16) else { return nil }
                i += 4
                // A character beyond U+FFFF comes as two escapes, a UTF-16 surrogate pair.
                if (0xD800..<0xDC00).contains(v), i + 6 <= inner.endIndex, inner[i] == UInt8(ascii: "\\"), inner[i + 1] == UInt8(ascii: "u"),
                   let low = UInt32(String(decoding: inner[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low) {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                out += Array(String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The JSON value `bytes` as Go's encoder writes a raw value back (an id is echoed this way):
    /// without white space between tokens, and with `<`, `>`, `&`, U+2028 and U+2029 in strings
    /// escaped; nil when `bytes` is not one valid JSON value (it is then not echoed at all).
    public static func compact(_ bytes: [UInt8]) -> [UInt8]? {
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), bytes.count == 1 || bytes[0] != UInt8(ascii: "0") {
            return bytes  // the usual id, a number, is its own compact form
        }
        var s = Scanner(b: bytes, i: 0)
        guard (try? s.value()) != nil, ({ s.space(); return s.i == bytes.count })() else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false, escaped = false
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if !inString {
                if JSONFramer.isSpace(c) { continue }
                if c == UInt8(ascii: "\"") { inString = true }
                out.append(c)
                continue
            }
            if escaped {
                escaped = false
            } else if c == UInt8(ascii: "\\") {
                escaped = true
            } else if c == UInt8(ascii: "\"") {
                inString = false
            } else if c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "&") {
                out += Array("\\u00\(String(c, radix: 16))".utf8)
                continue
            } else if c == 0xE2, i + 1 < bytes.count, bytes[i] == 0x80, bytes[i + 1] == 0xA8 || bytes[i + 1] == 0xA9 {
                out += Array((bytes[i + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
                continue
            }
            out.append(c)
        }
        return out
    }

    /// `s` as a JSON string literal, escaped as Go escapes it.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        GoJSON.appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    struct Scanner {
        let b: [UInt8]
        var i: Int
        var peek: UInt8? { i < b.count ? b[i] : nil }

        mutating func space() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
            guard peek == c else { throw Malformed() }
            i += 1
        }

        /// Validates the value at `i` and returns where it is. Nested values are followed with a
        /// stack of their own, not by recursion, so no message can exhaust the thread's stack;
        /// deeper than `JSONFramer.maxDepth` is an error, as in Go.
        mutating func value() throws -> Range<Int> {
            space()
            let start = i
            var open = ContainerStack()
            while true {
                // One value, or the opening of a container.
                switch peek {
                case UInt8(ascii: "{"):
                    i += 1
                    space()
                    if peek == UInt8(ascii: "}") {
                        i += 1
                    } else {
                        try open.push(object: true)
                        try member()
                        continue
                    }
                case UInt8(ascii: "["):
                    i += 1
                    space()
                    if peek == UInt8(ascii: "]") {
                        i += 1
                    } else {
                        try open.push(object: false)
                        continue
                    }
                case UInt8(ascii: "\""): try string()
                case UInt8(ascii: "t"): try word("true")
                case UInt8(ascii: "f"): try word("false")
                case UInt8(ascii: "n"): try word("null")
                default: try number()
                }
                // After a value: the containers it ends, then the next member or element.
                while true {
                    guard let inObject = open.top else { return start..<i }
                    space()
                    if peek == UInt8(ascii: ",") {
                        i += 1
                        if inObject { try member() } else { space() }
                        break
                    }
                    try expect(inObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    open.pop()
                }
            }
        }

        /// `"name":` before a member's value.
        private mutating func member() throws {
            space()
            try string()
            space()
            try expect(UInt8(ascii: ":"))
            space()
        }

        /// Calls `field` with the range of each name (a string literal, quotes included) and value.
        mutating func object(_ field: (Range<Int>, Range<Int>) -> Void) throws {
            try expect(UInt8(ascii: "{"))
            space()
            if peek == UInt8(ascii: "}") { i += 1; return }
            while true {
                space()
                let k0 = i
                try string()
                let name = k0..<i
                space()
                try expect(UInt8(ascii: ":"))
                field(name, try value())
                space()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"))
                return
            }
        }

        mutating func array(_ element: (Range<Int>) -> Void) throws {
            try expect(UInt8(ascii: "["))
            space()
            if peek == UInt8(ascii: "]") { i += 1; return }
            while true {
                element(try value())
                space()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                return
            }
        }

        mutating func string() throws {
            try expect(UInt8(ascii: "\""))
            while let c = peek {
                i += 1
                if c == UInt8(ascii: "\\") {
                    // Only JSON's escapes: one of `"\/bfnrt`, or `u` and four hex digits.
                    guard let e = peek else { throw Malformed() }
                    i += 1
                    if e == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            guard let h = peek, JSONFramer.isHex(h) else { throw Malformed() }
                            i += 1
                        }
                    } else {
                        switch e {
                        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): break
                        default: throw Malformed()
                        }
                    }
                } else if c == UInt8(ascii: "\"") {
                    return
                } else if c < 0x20 {
                    throw Malformed()
                }
            }
            throw Malformed()
        }

        mutating func word(_ w: StaticString) throws {
            let bytes = UnsafeBufferPointer(start: w.utf8Start, count: w.utf8CodeUnitCount)
            for c in bytes { try expect(c) }
        }

        mutating func number() throws {
            let start = i
            if peek == UInt8(ascii: "-") { i += 1 }
            func digits(_ s: inout Scanner) -> Int {
                let d0 = s.i
                while let c = s.peek, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { s.i += 1 }
                return s.i - d0
            }
            let leadingZero = peek == UInt8(ascii: "0")
            let whole = digits(&self)
            guard whole > 0, !(leadingZero && whole > 1) else { throw Malformed() }  // no `01`, as in JSON
            if peek == UInt8(ascii: ".") { i += 1; guard digits(&self) > 0 else { throw Malformed() } }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                guard digits(&self) > 0 else { throw Malformed() }
            }
            guard i > start else { throw Malformed() }
        }
    }

    /// The kinds of the containers a value is inside, object or array: the first 64 in a word,
    /// deeper ones in an array that exists only for messages that nest that deep.
    struct ContainerStack {
        private var bits: UInt64 = 0
        private var deeper: [Bool] = []
        private(set) var depth = 0

        var top: Bool? {
            guard depth > 0 else { return nil }
            return depth <= 64 ? bits & (1 << (depth - 1)) != 0 : deeper[depth - 65]
        }

        mutating func push(object: Bool) throws {
            guard depth < JSONFramer.maxDepth else { throw TooDeep() }
            if depth < 64 {
                if object { bits |= 1 << depth } else { bits &= ~(1 << depth) }
            } else {
                deeper.append(object)
            }
            depth += 1
        }

        mutating func pop() {
            depth -= 1
            if depth >= 64 { deeper.removeLast() }
        }
    }
}
