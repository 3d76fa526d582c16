import LabKit

// Serial crawler: the lecture's `Serial`. One fetch at a time, depth first; `fetched` is
// passed `inout` where Go passes a map (a reference), and nothing else can touch it.

func serial(_ url: String, _ fetcher: any Fetcher, _ fetched: inout Set<String>) async {
    if fetched.contains(url) {
        return
    }
    fetched.insert(url)
    guard let urls = try? await fetcher.fetch(url) else {
        return
    }
    for u in urls {
        await serial(u, fetcher, &fetched)
    }
}
