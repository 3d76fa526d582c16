/// Splits a byte stream into JSON values, as Go's `json.Decoder` reads them: one value after
/// another, with or without white space between. Only objects and arrays are values here (a
/// message is always an object); anything else cannot be framed, and the stream is lost.
///
/// Each byte is looked at once, however the message arrives in pieces, so framing costs time in
/// proportion to the message. Two limits hold, whatever the peer sends:
/// - size: a message larger than `limit` is not kept; its bytes are dropped as they are read, and
///   it comes out as `.refused(.tooLarge, id:)` once its end has arrived. An escape sequence
///   (`\n`, `\u0001`) counts as the one character it stands for, so a value of control characters
///   is measured as what it is, not as six times that; what is kept is still bounded, at four
///   times the limit on the wire.
/// - depth: a message nested deeper than `maxDepth` (Go's limit: 10,000) is `.refused(.tooDeep, id:)`;
///   nothing downstream ever recurses that deep.
/// Either way the framing stays in step, so the next message is read as usual, and the refusal
/// carries the message's top-level `id` where one could be read, so that the sender's call gets
/// the error, not a hang.
public struct JSONFramer: Sendable {
    public enum Frame: Equatable, Sendable {
        case value([UInt8])
        /// A message that is not handed over, with the bytes of its top-level `id` if it had one.
        case refused(Refusal, id: [UInt8]?)
    }

    public enum Refusal: Equatable, Sendable {
        /// It does not start with `{` or `[`: the stream cannot be framed from here on.
        case notAnObject
        case tooLarge
        case tooDeep
    }

    /// Go's `encoding/json` refuses nesting deeper than this.
    public static let maxDepth = 10_000
    /// The longest `id` that is echoed in a refusal.
    static let maxID = 1024

    public let limit: Int
    private var buffer: [UInt8] = []
    private var start = 0  // where the current message starts in `buffer`
    private var i = 0  // the next byte to look at
    private var inMessage = false  // between its first byte and its last
    private var depth = 0
    private var deepest = 0
    private var size = 0  // the message's size so far, an escape sequence counting as one
    private var wire = 0  // its bytes as sent: at most four times the limit (escapes are six bytes)
    private var inString = false
    private var escape = 0  // bytes of an escape sequence still to come (not counted in `size`)
    private var dropping = false  // over the limit: bytes are dropped once looked at
    // The top-level members, followed as they go by, to find `id`.
    private var topIsObject = false
    private var expectKey = false
    private var keyStart: Int?  // where a top-level key's opening quote is
    private var keyIsID = false
    private var expectIDValue = false
    private var idStart: Int?
    private var id: Range<Int>?  // in `buffer`
    private var droppedID = false  // an id longer than `maxID` went by

    public init(limit: Int = 1 << 20) {
        self.limit = limit
        wireLimit = limit >= Int.max / 4 ? Int.max : 4 * limit
    }

    private let wireLimit: Int

    public mutating func append(_ bytes: some Collection<UInt8>) { buffer.append(contentsOf: bytes) }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) { buffer.append(contentsOf: bytes) }

    /// Where the last value's top-level `id` is in the bytes `next` returned with it.
    public private(set) var idOfLast: Range<Int>?

    /// The next complete value, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        if !inMessage {
            guard skipSpace() else { return nil }
            let first = buffer[i]
            guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return .refused(.notAnObject, id: nil) }
            inMessage = true
        }
        let end = buffer.withUnsafeBufferPointer { scan($0) }
        guard let end else {
            if dropping { dropScanned() }
            return nil
        }
        let frame: Frame
        if dropping || deepest > Self.maxDepth {
            let idBytes = droppedID ? nil : id.map { Array(buffer[$0]) }
            frame = .refused(dropping ? .tooLarge : .tooDeep, id: idBytes)
            idOfLast = nil
        } else {
            frame = .value(Array(buffer[start..<end]))
            idOfLast = id.map { ($0.lowerBound - start)..<($0.upperBound - start) }
        }
        reset(at: end)
        return frame
    }

    /// The top-level `id` of one message (`bytes` holds it whole), or nil: how an error reply
    /// to a request that is not valid JSON finds the id it must carry.
    public static func topLevelID(of bytes: [UInt8]) -> [UInt8]? {
        var f = JSONFramer(limit: Int.max)
        f.append(bytes)
        guard case .value(let v)? = f.next(), let r = f.idOfLast else { return nil }
        return Array(v[r])
    }

    /// Skips white space between messages; false when the buffer ran out.
    private mutating func skipSpace() -> Bool {
        while i < buffer.count, Self.isSpace(buffer[i]) { i += 1 }
        if i == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            start = 0
            i = 0
            return false
        }
        start = i
        return true
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    static func isHex(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
    }

    /// Looks at the bytes from `i` on; returns the end of the message once its last bracket is seen.
    private mutating func scan(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        while i < b.count {
            let c = b[i]
            wire += 1  // a string's run of plain bytes below counts the rest of itself
            if inString {
                if escape == 5 {  // the letter after a backslash: `u` and four hex digits, or one letter
                    escape = c == UInt8(ascii: "u") ? 4 : 0
                    i += 1
                    continue
                }
                if escape > 0 {
                    if Self.isHex(c) {
                        escape -= 1
                        i += 1
                        continue
                    }
                    // Not a hex digit: the escape is wrong (the scanner will say so), and this
                    // byte is read as itself, so a quote here still ends the string and the
                    // framing stays in step.
                    escape = 0
                }
                if c == backslash {
                    escape = 5  // `u` and four hex digits at most
                    size += 1
                } else if c == quote {
                    inString = false
                    size += 1
                    if let k = keyStart {
                        keyIsID = i - k == 3 && b[k + 1] | 0x20 == UInt8(ascii: "i") && b[k + 2] | 0x20 == UInt8(ascii: "d")
                        keyStart = nil
                    }
                } else {
                    // The bulk of a large message is in strings: run to the next quote or backslash.
                    var j = i + 1
                    while j < b.count, b[j] != quote, b[j] != backslash { j += 1 }
                    size += j - i
                    wire += j - i - 1
                    i = j
                    if size > limit || wire > wireLimit { dropping = true }
                    continue
                }
                i += 1
                continue
            }
            size += 1
            if expectIDValue, !Self.isSpace(c) {
                expectIDValue = false
                idStart = i
            }
            switch c {
            case quote:
                inString = true
                if depth == 1, expectKey {
                    expectKey = false
                    keyStart = i
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                deepest = max(deepest, depth)
                if depth == 1 {
                    topIsObject = c == UInt8(ascii: "{")
                    expectKey = topIsObject
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 1 { endID(at: i) }
                depth -= 1
                if depth == 0 {
                    if size > limit || wire > wireLimit { dropping = true }  // it arrived whole, but is over the limit
                    i += 1
                    return i
                }
            case UInt8(ascii: ","):
                if depth == 1 {
                    endID(at: i)
                    expectKey = topIsObject
                }
            case UInt8(ascii: ":"):
                if depth == 1, keyIsID {
                    keyIsID = false
                    expectIDValue = true
                }
            default:
                break
            }
            i += 1
        }
        if size > limit || wire > wireLimit { dropping = true }
        return nil
    }

    /// A top-level member ends at `end`: if it was the id, remember where its value is.
    private mutating func endID(at end: Int) {
        guard let s = idStart else { return }
        idStart = nil
        var e = end
        while e > s, Self.isSpace(buffer[e - 1]) { e -= 1 }
        if e - s > Self.maxID {
            droppedID = true
            id = nil
        } else {
            droppedID = false
            id = s..<e
        }
    }

    /// Over the limit: forgets the bytes already looked at, but for a top-level key or id value
    /// that is still being read, so that a refusal can still name its id.
    private mutating func dropScanned() {
        var keep = i
        if let s = idStart {
            if i - s > Self.maxID {
                idStart = nil
                droppedID = true
                id = nil
            } else {
                keep = min(keep, s)
            }
        }
        if let k = keyStart {
            if i - k > Self.maxID { keyStart = nil } else { keep = min(keep, k) }
        }
        if let r = id {
            // A complete id is kept at the front of what remains.
            let saved = Array(buffer[r])
            buffer.removeSubrange(0..<keep)
            buffer.insert(contentsOf: saved, at: 0)
            let shift = keep - saved.count
            id = 0..<saved.count
            shiftMarks(by: shift)
        } else {
            buffer.removeSubrange(0..<keep)
            shiftMarks(by: keep)
        }
    }

    private mutating func shiftMarks(by shift: Int) {
        i -= shift
        start = 0
        if let s = idStart { idStart = s - shift }
        if let k = keyStart { keyStart = k - shift }
    }

    /// The message ended at `end`: the next one starts there.
    private mutating func reset(at end: Int) {
        inMessage = false
        start = end
        i = end
        depth = 0
        deepest = 0
        size = 0
        wire = 0
        inString = false
        escape = 0
        dropping = false
        topIsObject = false
        expectKey = false
        keyStart = nil
        keyIsID = false
        expectIDValue = false
        idStart = nil
        id = nil
        droppedID = false
        if start > 1 << 16 {
            buffer.removeSubrange(0..<start)
            start = 0
            i = 0
        }
    }
}
