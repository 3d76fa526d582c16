// The receiving end of one gob stream (one direction of a connection): it remembers the types the
// sender defined and reads each value against them. Go's grammar:
//   (byteCount (-typeId, wireType)* (typeId, value))*
// Each definition comes in a message of its own, and they may come in any order (Go sends a
// struct's definition before those of its fields), so a definition is checked only when a value
// uses it.

import Foundation

public struct GobInput: Sendable {
    var types: [Int: GobWireType] = [:]
    var names: [Int: [String]] = [:]
    private var fieldCount = 0
    /// Definitions one stream may make, and struct fields in all of them; more are refused (Go
    /// has no limit, and keeps every definition for as long as the connection lasts).
    public static let maxTypes = 1024
    public static let maxFields = 16384

    public init() {}

    /// What one message held: a definition, remembered here, or a value.
    public enum Message: Sendable, Equatable {
        case definition(Int)
        case value(typeID: Int, GobValue)
    }

    /// Reads the message in `bytes[range]` (without its length).
    public mutating func read(_ bytes: [UInt8], _ range: Range<Int>) throws -> Message {
        var r = GobReader(bytes, range)
        let id = try r.int()
        if id < 0 {
            guard id > -Int64(Int32.max) else { throw GobError("type id \(id) out of range") }
            let defined = Int(-id)
            guard defined >= GobTypeID.firstUser, types[defined] == nil else { throw GobError("duplicate type received") }
            guard types.count < Self.maxTypes else { throw GobError("more than \(Self.maxTypes) types defined") }
            let type = try GobWireType.read(&r, defining: defined)
            guard r.isAtEnd else { throw GobError("extra data after the definition of type \(defined)") }
            if case .structType(_, let fields) = type {
                fieldCount += fields.count
                guard fieldCount <= Self.maxFields else { throw GobError("more than \(Self.maxFields) struct fields defined") }
                names[defined] = fields.map(\.name)
            }
            types[defined] = type
            return .definition(defined)
        }
        guard id > 0, id < Int64(Int32.max) else { throw GobError("type id \(id) out of range") }
        var reader = GobValueReader(types: types, names: names, budget: GobValueReader.valuesPerMessage)
        let value = try reader.topLevel(of: Int(id), &r)
        guard r.isAtEnd else { throw GobError("extra data after a value of type \(id)") }
        return .value(typeID: Int(id), value)
    }
}

/// Splits a gob stream into its messages: a length, then that many bytes. A message longer than
/// `limit` is not kept: its bytes are dropped as they arrive, and it comes out as `.tooLarge`, so
/// that the call it belongs to can be answered and the stream read on. (Go's own limit is 1 GiB,
/// and Go keeps what it reads.) A length over 2^30 is not believed at all: the stream is lost.
public struct GobFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        case message([UInt8])
        case tooLarge(Int)
    }

    public let limit: Int
    /// Go's own bound on a message (encoding/gob's `tooBig`): a longer one is no gob stream.
    static let tooBig: UInt64 = 1 << 30
    private var buffer: [UInt8] = []
    private var start = 0
    private var skipping = 0  // bytes of a message over the limit still to drop
    private var skipped = 0

    public init(limit: Int = 1 << 20) { self.limit = limit }

    public mutating func append<C: Collection<UInt8>>(_ bytes: C) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 4096, start > buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received and not yet handed out.
    public var pending: Int { buffer.count - start }

    /// The next whole message, nil until one has arrived.
    public mutating func next() throws -> Frame? {
        if skipping > 0 {
            let n = min(skipping, buffer.count - start)
            start += n
            skipping -= n
            guard skipping == 0 else { return nil }
            return .tooLarge(skipped)
        }
        guard start < buffer.count else { return nil }
        let first = buffer[start]
        let width = first < 0x80 ? 0 : Int(~first &+ 1)  // bytes of the length after the first
        guard width <= 8 else { throw GobError("message length longer than 8 bytes") }
        guard buffer.count - start > width else { return nil }
        var r = GobReader(buffer, start..<buffer.count)
        let n = try r.uint()
        guard n < Self.tooBig else { throw GobError("a message of \(n) bytes: no gob stream sends one over \(Self.tooBig)") }
        guard n > 0 else { throw GobError("a message of 0 bytes") }
        guard n <= UInt64(limit) else {
            start = r.i
            skipping = Int(n)
            skipped = Int(n)
            return try next()
        }
        guard r.remaining >= Int(n) else { return nil }
        start = r.i + Int(n)
        return .message(Array(buffer[r.i..<start]))
    }
}
