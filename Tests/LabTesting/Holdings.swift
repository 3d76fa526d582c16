/// What an object holds, counted from outside it: how many values of one type are reachable
/// from it through its stored properties and collections (each object once). A check of memory
/// counts this rather than a number the code under test reports about itself. Counting one type
/// (the replies a duplicate filter keeps), not every collection's entries, keeps it fair to
/// designs that store their data another way (a list of appended pieces per key, say).
/// Read it only when no other thread is changing the object.
public enum Holdings {
    public static func count<T>(of type: T.Type, in root: Any, depthLimit: Int = 24, cap: Int = 1_000_000) -> Int {
        var seen: Set<ObjectIdentifier> = []
        var total = 0
        var visited = 0
        func walk(_ value: Any, _ depth: Int) {
            guard depth < depthLimit, total < cap, visited < 10 * cap else { return }
            visited += 1
            if value is T {
                total += 1
                return
            }
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .class {
                guard seen.insert(ObjectIdentifier(value as AnyObject)).inserted else { return }
            }
            var m: Mirror? = mirror
            while let current = m {
                for child in current.children { walk(child.value, depth + 1) }
                m = current.superclassMirror
            }
        }
        walk(root, 0)
        return total
    }
}
