/// The generated web (docs/webs.md) as a website: page `i` is `/p/<i>.html`, a missing page is
/// `/missing/<i>.html` (404), and each page's links are written the ways real pages write them
/// (relative, `./`, `../`, root-relative, absolute, with fragments), among links a crawler must
/// not follow (other hosts, `mailto:`, a fragment alone, a stylesheet). `site-server` serves it;
/// `site-server --write DIR` writes it as files for any other web server.
public struct GeneratedSite: Sendable {
    public let web: GeneratedWeb

    public init(pages: Int, fanout: Int) {
        web = GeneratedWeb(pages: pages, fanout: fanout)
    }

    public static let startPath = "/p/0.html"

    /// The HTML at `path` (no query), or nil for a page that is not there. `origin`
    /// ("http://127.0.0.1:8080") makes the up link absolute; without it the link is root-relative.
    public func html(_ path: String, origin: String? = nil) -> String? {
        guard path.hasPrefix("/p/"), path.hasSuffix(".html"),
              let i = web.page(GeneratedWeb.pagePrefix + path.dropFirst(3).dropLast(5)) else { return nil }
        var body = "<!DOCTYPE html>\n<html><head><title>Page \(i)</title>"
        body += "<link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body><h1 id=\"top\">Page \(i)</h1>\n<ul>\n"
        let links = web.linkedPages(i)
        for (k, child) in links.dropLast().enumerated() {
            switch k % 3 {
            case 0: body += "<li><a href=\"\(child).html\">page \(child)</a></li>\n"
            case 1: body += "<li><A class=\"x\" HREF='./\(child).html#top'>page \(child)</A></li>\n"
            default: body += "<li><a title=\"next\"\nhref=../p/\(child).html>page \(child)</a></li>\n"
            }
        }
        body += "</ul>\n<p>Up: <a href=\"\(origin ?? "")/p/\(links.last!).html\">page \(links.last!)</a></p>\n"
        if i % 10 == 0 { body += "<p><a href=\"/missing/\(i).html?from=\(i)&amp;x=1\">a page that is gone</a></p>\n" }
        body += "<p><a href=\"#top\">top</a> <a href=\"mailto:web@example.test\">mail</a> "
        body += "<a href=\"https://elsewhere.example.test/p/1.html\">elsewhere</a></p>\n</body></html>\n"
        return body
    }

    /// What a correct crawl of the site served at `origin` finds: the generated web's answer,
    /// with each URL on the site.
    public func expectedShape(origin: String) -> WebShape {
        let shape = web.shape()
        func onSite(_ url: String) -> String {
            if url.hasPrefix(GeneratedWeb.pagePrefix) { return origin + "/p/" + url.dropFirst(GeneratedWeb.pagePrefix.count) + ".html" }
            return origin + "/missing/" + url.dropFirst(GeneratedWeb.missingPrefix.count) + ".html?from="
                + url.dropFirst(GeneratedWeb.missingPrefix.count) + "&x=1"
        }
        return WebShape(found: shape.found.map(onSite).sorted(), missing: shape.missing.map(onSite).sorted(),
                        criticalPathFetches: shape.criticalPathFetches)
    }
}
