// Gob's numbers on the wire (Go's encoding/gob doc.go, "Encoding Details"): an unsigned integer
// below 128 is one byte; a larger one is its minimal big-endian bytes after one byte holding
// their count, negated (256 is FE 01 00). A signed integer travels as an unsigned one whose bit 0
// says "complement the rest" (-129 is FE 01 01). A float is its IEEE-754 bits, byte-reversed, so
// that 17.0 is FE 31 40.

/// What a gob stream did wrong, in Go's words where Go has them.
public struct GobError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = "gob: " + description }
}

/// Reads gob's numbers from `bytes[i..<end]`, never past `end`.
struct GobReader {
    let bytes: [UInt8]
    var i: Int
    let end: Int

    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        i = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { i >= end }
    var remaining: Int { end - i }

    mutating func uint() throws -> UInt64 {
        guard i < end else { throw GobError("unexpected end of message") }
        let first = bytes[i]
        i += 1
        if first < 0x80 { return UInt64(first) }
        let n = Int(~first &+ 1)  // the count, negated
        guard n <= 8 else { throw GobError("unsigned integer longer than 8 bytes") }
        guard n <= end - i else { throw GobError("unexpected end of message") }
        var u: UInt64 = 0
        for _ in 0..<n {
            u = u << 8 | UInt64(bytes[i])
            i += 1
        }
        return u
    }

    mutating func int() throws -> Int64 {
        let u = try uint()
        return u & 1 == 0 ? Int64(bitPattern: u >> 1) : ~Int64(bitPattern: u >> 1)
    }

    mutating func float() throws -> Double {
        Double(bitPattern: try uint().byteSwapped)
    }

    /// A count of things that each take at least one byte: never more than the bytes left, so a
    /// forged count cannot make anyone allocate for it.
    mutating func count(of what: String) throws -> Int {
        let u = try uint()
        guard u <= UInt64(remaining) else { throw GobError("\(what) count \(u) exceeds the \(remaining) bytes left in the message") }
        return Int(u)
    }

    /// A byte count and that many bytes (a string's or a `[]byte`'s).
    mutating func byteRange() throws -> Range<Int> {
        let n = try count(of: "byte")
        defer { i += n }
        return i..<i + n
    }
}

/// Writes gob's numbers.
enum GobWriter {
    static func uint(_ u: UInt64, into out: inout [UInt8]) {
        if u < 0x80 {
            out.append(UInt8(u))
            return
        }
        let n = (64 - u.leadingZeroBitCount + 7) / 8
        out.append(UInt8(truncatingIfNeeded: -n))
        for k in stride(from: n - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: u >> (8 * UInt64(k)))) }
    }

    /// How many bytes `uint(u)` writes.
    static func size(_ u: UInt64) -> Int { u < 0x80 ? 1 : 1 + (64 - u.leadingZeroBitCount + 7) / 8 }

    static func zigzag(_ i: Int64) -> UInt64 { i < 0 ? UInt64(bitPattern: ~i) << 1 | 1 : UInt64(bitPattern: i) << 1 }

    static func int(_ i: Int64, into out: inout [UInt8]) {
        uint(i < 0 ? UInt64(bitPattern: ~i) << 1 | 1 : UInt64(bitPattern: i) << 1, into: &out)
    }

    static func float(_ d: Double, into out: inout [UInt8]) {
        uint(d.bitPattern.byteSwapped, into: &out)
    }

    static func bytes<C: Collection<UInt8>>(_ b: C, into out: inout [UInt8]) {
        uint(UInt64(b.count), into: &out)
        out.append(contentsOf: b)
    }

    /// `body` with its length in front: one message of the stream.
    static func message(_ body: [UInt8], into out: inout [UInt8]) {
        uint(UInt64(body.count), into: &out)
        out.append(contentsOf: body)
    }
}
