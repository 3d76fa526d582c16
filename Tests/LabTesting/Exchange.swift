import Foundation
import LabNet

/// Sends `bytes` on a fresh connection to `port` and returns what comes back until the server
/// closes the connection or `wait` passes with nothing more; `closed` says which. For talking to
/// a server the way a hostile or a foreign peer does: raw bytes, no client library.
public func exchange(_ port: Int, _ bytes: String, wait: Duration = .seconds(2),
                     until done: ((String) -> Bool)? = nil) throws -> (reply: String, closed: Bool) {
    let (reply, closed) = try exchange(port, bytes: Array(bytes.utf8), wait: wait,
                                       until: done.map { done in { done(String(decoding: $0, as: UTF8.self)) } })
    return (String(decoding: reply, as: UTF8.self), closed)
}

/// The same with bytes that need not be text (a gob stream).
public func exchange(_ port: Int, bytes: [UInt8], wait: Duration = .seconds(2),
                     until done: (([UInt8]) -> Bool)? = nil) throws -> (reply: [UInt8], closed: Bool) {
    let c = try TCPConnection.connect(host: "127.0.0.1", port: port)
    defer { c.close() }
    // With `until`, the reply is complete when it says so: wait up to 20 s for it (a loaded
    // machine under ThreadSanitizer can pause for seconds), then 100 ms more to see whether the
    // server closes. Without it, the reply is whatever came until `wait` passed in silence.
    c.setReadTimeout(done == nil ? wait : .seconds(20))
    try c.write(bytes)
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    var complete = false
    while true {
        guard let n = try? c.read(into: &buffer) else { return (out, false) }
        if n == 0 { return (out, true) }
        out += buffer[0..<n]
        if !complete, let done, done(out) {
            complete = true
            c.setReadTimeout(.milliseconds(100))
        }
    }
}
