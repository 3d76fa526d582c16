/// What an object holds, counted from outside it: the elements of every array, dictionary and
/// set reachable from it through its stored properties (each object once). A check of memory
/// uses this rather than a count the code under test reports about itself, which it could get
/// wrong or make up. Read it only when no other thread is changing the object.
public enum Holdings {
    public static func entries(of root: Any, depthLimit: Int = 24, cap: Int = 1_000_000) -> Int {
        var seen: Set<ObjectIdentifier> = []
        var total = 0
        func walk(_ value: Any, _ depth: Int) {
            guard depth < depthLimit, total < cap else { return }
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .class {
                guard seen.insert(ObjectIdentifier(value as AnyObject)).inserted else { return }
            }
            switch mirror.displayStyle {
            case .collection, .dictionary, .set:
                total += mirror.children.count
            default:
                break
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
