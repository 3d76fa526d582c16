import Foundation
import LabRPC

/// One request: its method, path (query dropped), Host header, and whether the connection stays open.
struct HTTPRequest {
    var method: String
    var path: String
    var host: String?
    var keepAlive: Bool
}

/// Reads requests one after another from a connection; nil at the end or on a malformed request.
struct HTTPReader {
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 16 << 10)

    mutating func next(from conn: TCPConnection) -> HTTPRequest? {
        while true {
            if let end = headerEnd() {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                return Self.parse(head)
            }
            guard buffer.count < 64 << 10, let n = try? conn.read(into: &chunk), n > 0 else { return nil }
            buffer += chunk[0..<n]
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }

    static func parse(_ head: String) -> HTTPRequest? {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let connection = headers["connection"]?.lowercased()
        let keepAlive = parts[2] == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
        let target = parts[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        return HTTPRequest(method: String(parts[0]), path: target, host: headers["host"], keepAlive: keepAlive)
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

    static let reasons = [200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 405: "Method Not Allowed"]

    func bytes(keepAlive: Bool) -> [UInt8] {
        let payload = Array(body.utf8)
        var head = "HTTP/1.1 \(status) \(Self.reasons[status] ?? "")\r\nContent-Type: \(type)\r\nContent-Length: \(payload.count)\r\n"
        if let location { head += "Location: \(location)\r\n" }
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + payload
    }
}
