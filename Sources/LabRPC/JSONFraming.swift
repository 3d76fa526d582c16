/// Splits a byte stream into JSON values, as Go's `json.Decoder` reads them: one value after
/// another, with or without white space between. Only objects and arrays are complete values
/// here (a request is always an object); anything else is a framing error.
public struct JSONFramer: Sendable {
    public enum Frame: Equatable, Sendable {
        case value([UInt8])
        case notAnObject(UInt8)
        case tooLarge
    }

    public let limit: Int
    private var buffer: [UInt8] = []
    private var start = 0

    public init(limit: Int = 1 << 20) { self.limit = limit }

    public mutating func append(_ bytes: ArraySlice<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete value, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        while start < buffer.count, [0x20, 0x09, 0x0A, 0x0D].contains(buffer[start]) { start += 1 }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
            return nil
        }
        let first = buffer[start]
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return .notAnObject(first) }
        var depth = 0
        var inString = false
        var escaped = false
        var i = start
        while i < buffer.count {
            let c = buffer[i]
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    let value = Array(buffer[start...i])
                    start = i + 1
                    if start > 1 << 16 {
                        buffer.removeFirst(start)
                        start = 0
                    }
                    return .value(value)
                }
            }
            i += 1
        }
        return buffer.count - start > limit ? .tooLarge : nil
    }
}
