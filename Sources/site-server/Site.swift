import Foundation
import LabKit
import LabNet

// The generated web as a website, served the way seed 004 ends: requests one after another on
// each connection (HTTP/1.1 keep-alive), in either connection model. The two `serve` functions
// are the same loop: one blocks its own Thread, the other suspends its task.

struct Site: ConnectionServer {
    let site: GeneratedSite
    let latency: Duration

    /// The threads model: a Thread of this connection's own, blocking reads and sleeps.
    func serve(_ conn: TCPConnection) {
        defer { conn.close() }
        var parser = HTTPParser()
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            while let event = parser.next() {
                let (response, keepAlive, delay) = answer(event)
                if delay > .zero { Thread.sleep(forTimeInterval: delay.seconds) }
                let deadline = Deadline.after(AsyncSocket.writeTimeout)  // a peer that reads nothing does not keep the thread
                guard (try? conn.write(response.bytes(keepAlive: keepAlive, head: event.isHead), deadline: deadline)) != nil, keepAlive else { return }
            }
            guard let n = try? conn.read(into: &buffer), n > 0 else { return }
            parser.append(buffer[0..<n])
        }
    }

    /// The tasks model: a task, suspending on the poller for reads and on the clock for sleeps.
    func serve(_ conn: AsyncSocket) async {
        defer { conn.close() }
        var parser = HTTPParser()
        var answered = 0
        while true {
            while let event = parser.next() {
                let (response, keepAlive, delay) = answer(event)
                if delay > .zero { try? await LatencyTimer.shared.sleep(for: delay) }  // Task.sleep would need descriptors of its own
                guard (try? await conn.write(response.bytes(keepAlive: keepAlive, head: event.isHead))) != nil, keepAlive else { return }
                answered += 1
                if answered % 16 == 0 { await Task.yield() }  // the other connections' turn
            }
            guard let n = try? await conn.read({ parser.append($0) }), n > 0 else { return }
            if n == AsyncSocket.readSize { await Task.yield() }
        }
    }

    /// The response, whether the connection stays open, and how long to wait before answering.
    func answer(_ event: HTTPParser.Event) -> (HTTPResponse, keepAlive: Bool, delay: Duration) {
        switch event {
        case .refuse(let status, let why):
            return (HTTPResponse(status: status, body: why + "\n"), false, .zero)
        case .request(let r):
            if r.path == "/slow" {  // a page that takes 30 s, for the tests
                return (HTTPResponse(status: 200, body: "<p>slow</p>", type: "text/html"), r.keepAlive, .seconds(30))
            }
            return (respond(to: r), r.keepAlive, latency)
        }
    }

    func respond(to r: HTTPRequest) -> HTTPResponse {
        guard r.method == "GET" || r.method == "HEAD" else { return HTTPResponse(status: 405, body: "only GET\n", type: "text/plain") }
        switch r.path {
        case "/": return HTTPResponse(status: 301, location: GeneratedSite.startPath)
        case "/loop": return HTTPResponse(status: 302, location: "/loop")  // a redirect loop, for the tests
        case "/style.css": return HTTPResponse(status: 200, body: "h1 { color: teal }\n", type: "text/css")
        default:
            guard let html = site.html(r.path, origin: r.host.map { "http://\($0)" }) else {
                return HTTPResponse(status: 404, body: "<h1>404 Not Found</h1>\n", type: "text/html")
            }
            return HTTPResponse(status: 200, body: html, type: "text/html; charset=utf-8")
        }
    }
}

extension HTTPParser.Event {
    /// A HEAD request: answered with the head alone.
    var isHead: Bool {
        if case .request(let r) = self { return r.method == "HEAD" }
        return false
    }
}
