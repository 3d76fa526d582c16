import LabKit
import LabHarness

/// `host:port` from the command line, e.g. `127.0.0.1:1234` (port 0 asks for a free one).
public func parseAddress(_ text: String, option: String) throws -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
          (0...65535).contains(port), colon != text.startIndex else {
        throw UsageError("\(option) must be HOST:PORT, such as 127.0.0.1:1234, not '\(text)'")
    }
    return (String(text[..<colon]), port)
}
