import LabNet

/// A port nothing listens on (it did a moment ago): for a peer program, such as Python's
/// http.server, that cannot say which port it picked.
public func freePort() throws -> Int {
    let l = try TCPListener(host: "127.0.0.1", port: 0)
    defer { l.close() }
    return l.port
}
