import Foundation
import LabKit
import LabRPC

// The generated web as a website, served the way seed 004 ends: one thread per connection
// (Go: one goroutine), blocking reads and writes, requests one after another on the connection
// (HTTP/1.1 keep-alive). Blocking is right here: each connection has a Thread of its own.

struct Site: Sendable {
    let site: GeneratedSite
    let latency: Duration

    /// Serves one connection until the client closes it or asks to.
    func serve(_ conn: TCPConnection) {
        defer { conn.close() }
        var reader = HTTPReader()
        while let request = reader.next(from: conn) {
            if latency > .zero { Thread.sleep(forTimeInterval: latency.seconds) }
            let response = respond(to: request)
            guard (try? conn.write(response.bytes(keepAlive: request.keepAlive))) != nil, request.keepAlive else { return }
        }
    }

    func respond(to r: HTTPRequest) -> HTTPResponse {
        guard r.method == "GET" || r.method == "HEAD" else { return HTTPResponse(status: 405, body: "only GET\n", type: "text/plain") }
        switch r.path {
        case "/": return HTTPResponse(status: 301, location: GeneratedSite.startPath)
        case "/loop": return HTTPResponse(status: 302, location: "/loop")  // a redirect loop, for the tests
        case "/slow":  // a page that takes 30 s, for the tests
            Thread.sleep(forTimeInterval: 30)
            return HTTPResponse(status: 200, body: "<p>slow</p>", type: "text/html")
        case "/style.css": return HTTPResponse(status: 200, body: "h1 { color: teal }\n", type: "text/css")
        default:
            guard let html = site.html(r.path, origin: r.host.map { "http://\($0)" }) else {
                return HTTPResponse(status: 404, body: "<h1>404 Not Found</h1>\n", type: "text/html")
            }
            return HTTPResponse(status: 200, body: r.method == "HEAD" ? "" : html, type: "text/html; charset=utf-8")
        }
    }
}
