import Foundation
import LabKit
import LabHarness
import LabNet

let tool = Tool(
    name: "site-server",
    summary: "Serve the generated web as a website over HTTP/1.1, a thread or a task per connection.",
    options: [
        .value("--listen", "HOST:PORT", "Address to listen on; port 0 picks a free one.", default: "127.0.0.1:0"),
        .value("--pages", "N", "Pages of the site (the generated web's rule, docs/webs.md).", default: "1000"),
        .value("--fanout", "N", "Links from each page to new pages.", default: "4"),
        .value("--latency", "DURATION", "Time each request waits before its answer, e.g. 20ms.", default: "0"),
        .value("--write", "DIR", "Write the site into DIR as files (for any web server) instead of serving it."),
        ConnectionModel.option,
    ],
    discussion: """
        Prints `site-server listening on HOST:PORT`, then serves until stopped (Ctrl-C). The crawl
        starts at /p/0.html (/ redirects there). /loop redirects to itself and /slow answers after
        30 s, for trying what a crawler does with them.

        EXAMPLES:
          site-server --listen 127.0.0.1:8080 --pages 2000 --latency 20ms
          crawl --url http://127.0.0.1:8080/p/0.html
          site-server --write /tmp/site --pages 500 && python3 -m http.server -d /tmp/site
        """)

tool.mainSync { flags in
    let site = GeneratedSite(pages: try flags.int("--pages", min: 1), fanout: try flags.int("--fanout", min: 1))
    let model = try ConnectionModel(flags)
    if let dir = flags.string("--write") {
        let root = URL(fileURLWithPath: dir)
        for sub in ["p", "missing"] { try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true) }
        for i in 0..<site.web.pages {
            try site.html("/p/\(i).html")!.write(to: root.appendingPathComponent("p/\(i).html"), atomically: false, encoding: .utf8)
        }
        try "h1 { color: teal }\n".write(to: root.appendingPathComponent("style.css"), atomically: false, encoding: .utf8)
        print("wrote \(grouped(site.web.pages)) pages to \(root.path); the crawl starts at /p/0.html")
        return
    }
    let (host, port) = try parseAddress(flags.string("--listen")!, option: "--listen")
    let server = Site(site: site, latency: try flags.duration("--latency"))
    FileLimit.raise()
    let listener = try TCPListener(host: host, port: port)
    listener.serve(server, model: model)
    print("site-server listening on \(host):\(listener.port)")
    fflush(nil)  // so that a script reading the pipe sees the port at once
    while true { sleep(3600) }
}
