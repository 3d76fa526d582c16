/// One reply as a client reads it: which call it answers, and with what. Both clients read replies
/// here, so they take the same things for a reply and fail the same way on what is not one.
struct Reply {
    let id: UInt64
    /// The message and where its `result` is (empty: none, which decodes to the zero value), or the error.
    let outcome: Result<(bytes: [UInt8], result: Range<Int>), RPCError>

    /// The stream holds something that is not a reply: nothing after it can be trusted.
    struct NotAReply: Error {
        var why: String
    }

    /// Reads one framed message. A reply that is refused (too large, nested too deep) or
    /// malformed fails only its own call, when its id can be read.
    static func read(_ frame: JSONFramer.Frame, limit: Int) throws(NotAReply) -> Reply {
        switch frame {
        case .value(let bytes):
            guard let fields = try? JSONScan.objectFields(bytes) else {
                guard let id = JSONFramer.topLevelID(of: bytes).flatMap(Self.id) else {
                    throw NotAReply(why: "the server sent something that is not a reply")
                }
                return Reply(id: id, outcome: .failure(.badReply("malformed JSON")))
            }
            guard let idRange = fields["id"], let id = Self.id(Array(bytes[idRange])) else {
                // An error about the connection itself (it was refused as a whole): say it.
                if let e = fields["error"], let text = JSONScan.string(bytes, e) { throw NotAReply(why: "the server says: \(text)") }
                throw NotAReply(why: "the server sent a reply without a call's id")
            }
            // Go's client: an error that is not a string, or neither a result nor an error, is
            // "invalid error"; an empty error string is "unspecified error".
            let error = fields["error"].flatMap { bytes[$0.lowerBound] == UInt8(ascii: "n") ? nil : $0 }
            let result = fields["result"].flatMap { bytes[$0.lowerBound] == UInt8(ascii: "n") ? nil : $0 }
            if let e = error {
                guard let text = JSONScan.string(bytes, e) else {
                    return Reply(id: id, outcome: .failure(.badReply("invalid error \(String(decoding: bytes[e].prefix(100), as: UTF8.self))")))
                }
                return Reply(id: id, outcome: .failure(.server(text.isEmpty ? "unspecified error" : text)))
            }
            guard let result else { return Reply(id: id, outcome: .failure(.badReply("invalid error <nil>"))) }
            return Reply(id: id, outcome: .success((bytes, result)))
        case .refused(.notAnObject, _):
            throw NotAReply(why: "the server sent something that is not a reply")
        case .refused(let refusal, let idBytes):
            guard let id = idBytes.flatMap(Self.id) else { throw NotAReply(why: "the server sent a reply that cannot be read") }
            let why = refusal == .tooLarge ? "larger than \(limit) bytes" : "nested deeper than \(JSONFramer.maxDepth)"
            return Reply(id: id, outcome: .failure(.badReply(why)))
        }
    }

    static func id(_ bytes: [UInt8]) -> UInt64? { UInt64(String(decoding: bytes, as: UTF8.self)) }
}
