import Foundation
import LabNet

/// Sends `bytes` on a fresh connection to `port` and returns what comes back until the server
/// closes the connection or `wait` passes with nothing more; `closed` says which. For talking to
/// a server the way a hostile or a foreign peer does: raw bytes, no client library.
public func exchange(_ port: Int, _ bytes: String, wait: Duration = .seconds(2)) throws -> (reply: String, closed: Bool) {
    let c = try TCPConnection.connect(host: "127.0.0.1", port: port)
    defer { c.close() }
    c.setReadTimeout(wait)
    try c.write(Array(bytes.utf8))
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        guard let n = try? c.read(into: &buffer) else { return (String(decoding: out, as: UTF8.self), false) }
        if n == 0 { return (String(decoding: out, as: UTF8.self), true) }
        out += buffer[0..<n]
    }
}
