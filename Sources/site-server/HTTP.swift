/// One request: its method, path (query dropped), Host header, and whether the connection stays open.
struct HTTPRequest: Equatable {
    var method: String
    var path: String
    var host: String?
    var keepAlive: Bool
}

/// Reads HTTP/1.1 requests from the bytes of a connection as they arrive, without touching the
/// socket (so both connection models share it), as leniently as Go's `net/http` does: lines may
/// end in CRLF or in a bare LF, and a body announced by `Content-Length` is read past, never
/// taken for the next request. What cannot be a request gets its status (400, or 431 for a head
/// over 64 KB, 501 for a chunked body), and then the connection ends.
struct HTTPParser {
    enum Event: Equatable {
        case request(HTTPRequest)
        /// Answer with this status, then close the connection.
        case refuse(status: Int, why: String)
    }

    static let maxHead = 64 << 10
    private var buffer: [UInt8] = []
    private var searched = 0  // how far the head's end has been looked for
    private var bodyLeft = 0  // bytes of the last request's body still to skip

    mutating func append(_ bytes: some Collection<UInt8>) {
        guard bodyLeft > 0 else { return buffer.append(contentsOf: bytes) }
        let skipped = min(bodyLeft, bytes.count)
        bodyLeft -= skipped
        buffer.append(contentsOf: bytes.dropFirst(skipped))
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) { append(bytes.bindMemory(to: UInt8.self)) }

    /// The next request, or what to answer instead; nil when more bytes are needed.
    mutating func next() -> Event? {
        guard bodyLeft == 0 else { return nil }
        // An empty line ends the head: LF, optionally CR, LF.
        var end: Int?
        var i = max(searched, 0)
        while i < buffer.count {
            if buffer[i] == 0x0A {
                if i + 1 < buffer.count, buffer[i + 1] == 0x0A { end = i + 2; break }
                if i + 2 < buffer.count, buffer[i + 1] == 0x0D, buffer[i + 2] == 0x0A { end = i + 3; break }
            }
            i += 1
        }
        guard let end else {
            searched = max(0, buffer.count - 2)
            return buffer.count > Self.maxHead ? .refuse(status: 431, why: "request head over \(Self.maxHead) bytes") : nil
        }
        guard end <= Self.maxHead else { return .refuse(status: 431, why: "request head over \(Self.maxHead) bytes") }
        let head = Array(buffer[..<end])
        buffer.removeSubrange(..<end)
        searched = 0
        let (event, length) = Self.parse(head)
        let skipped = min(length, buffer.count)
        buffer.removeSubrange(..<skipped)
        bodyLeft = length - skipped
        return event
    }

    /// The head's lines, each without its line ending.
    static func lines(_ head: [UInt8]) -> [String] {
        head.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line[...], as: UTF8.self)
        }.filter { !$0.isEmpty }
    }

    static func headers(_ head: [UInt8]) -> [(name: String, value: String)]? {
        var out: [(String, String)] = []
        for line in lines(head).dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex, !line[..<colon].contains(" ") else { return nil }
            out.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return out
    }

    /// The body's length (0 when none is given), or nil when it is not digits alone, or is given
    /// twice with different values: a request whose end cannot be told.
    static func contentLength(_ headers: [(name: String, value: String)]) -> Int? {
        let values = Set(headers.filter { $0.name == "content-length" }.map(\.value))
        guard let value = values.first else { return 0 }
        guard values.count == 1, !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(value)
    }

    static func parse(_ head: [UInt8]) -> (Event, body: Int) {
        let lines = lines(head)
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count == 3, parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return (.refuse(status: 400, why: "malformed request line"), 0)
        }
        // The target in origin form (`/p/0.html`) or absolute form (`http://host/p/0.html`).
        var target = Substring(parts[1])
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let afterScheme = target[target.index(target.firstIndex(of: ":")!, offsetBy: 3)...]
            target = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        guard target.hasPrefix("/") else { return (.refuse(status: 400, why: "malformed request target"), 0) }
        guard let headers = headers(head) else { return (.refuse(status: 400, why: "malformed header line"), 0) }
        func header(_ name: String) -> String? { headers.last { $0.name == name }?.value }
        guard let length = contentLength(headers) else { return (.refuse(status: 400, why: "bad Content-Length"), 0) }
        if header("transfer-encoding").map({ $0.lowercased() != "identity" }) ?? false {
            return (.refuse(status: 501, why: "chunked request bodies are not supported"), 0)
        }
        let tokens = headers.filter { $0.name == "connection" }.flatMap { $0.value.lowercased().split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let keepAlive = parts[2] == "HTTP/1.1" ? !tokens.contains("close") : tokens.contains("keep-alive")
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        return (.request(HTTPRequest(method: String(parts[0]), path: path, host: header("host"), keepAlive: keepAlive)), length)
    }
}

struct HTTPResponse {
    var status: Int
    var body = ""
    var type = "text/plain"
    var location: String?

    init(status: Int, body: String = "", type: String = "text/plain", location: String? = nil) {
        self.status = status
        self.body = body
        self.type = type
        self.location = location
    }

    static let reasons = [200: "OK", 301: "Moved Permanently", 302: "Found", 400: "Bad Request", 404: "Not Found",
                          405: "Method Not Allowed", 431: "Request Header Fields Too Large", 501: "Not Implemented"]

    /// The response on the wire. To a HEAD, the head alone, with the length the body would have.
    func bytes(keepAlive: Bool, head isHead: Bool = false) -> [UInt8] {
        let payload = Array(body.utf8)
        var head = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "")\r\nContent-Type: \(type)\r\nContent-Length: \(payload.count)\r\n"
        if let location { head += "Location: \(location)\r\n" }
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + (isHead ? [] : payload)
    }
}
