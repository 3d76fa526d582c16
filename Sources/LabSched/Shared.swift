/// A variable that lab threads share, whose every load and store is an operation of its own:
/// `n.value += 1` is a load, then a store, and another thread can run between them. Each access
/// is checked against the vector clocks: two accesses, at least one a store, that no lock,
/// channel or WaitGroup orders are a data race.
public final class Shared<T: Sendable>: @unchecked Sendable {
    public let name: String
    var stored: T
    let history = AccessHistory()

    public init(_ name: String, _ initial: T) {
        self.name = name
        stored = initial
        let run = Current.required.run
        TSan.unseen {
            run.sharedNames.append(name)
            run.sharedValues.append { [self] in stableDescription(stored) }
            run.stateChanged = true
        }
    }

    public func load() -> T {
        let t = Current.required
        var v: T?
        t.run.step(t, "load \(name)") {
            v = stored
            access(t, store: false)
            t.run.note = " → \(stored)"
        }
        return v!
    }

    public func store(_ v: T) {
        let t = Current.required
        t.run.step(t, "store \(name) ← \(v)") {
            stored = v
            access(t, store: true)
        }
    }

    /// `n.value += 1` reads as Go's `n = n + 1`: a load, then a store.
    public var value: T {
        get { load() }
        set { store(newValue) }
    }

    private func access(_ t: LabThread, store: Bool) {
        history.record(t, store: store, variable: name)
    }
}

extension Shared {
    /// `m[k]` on a shared map: one load of the whole map, as a Go map read is.
    public subscript<K: Hashable & Sendable, V: Sendable>(key: K) -> V? where T == [K: V] {
        get {
            let t = Current.required
            var v: V?
            t.run.step(t, "load \(name)[\(key)]") {
                v = stored[key]
                access(t, store: false)
                t.run.note = " → \(v.map { "\($0)" } ?? "nil")"
            }
            return v
        }
        set {
            let t = Current.required
            t.run.step(t, "store \(name)[\(key)] ← \(newValue.map { "\($0)" } ?? "nil")") {
                stored[key] = newValue
                access(t, store: true)
            }
        }
    }
}

/// A value as the replay shows it, the same on every run: a dictionary's or a set's elements are
/// sorted, since their order depends on the hash seed of each instance.
func stableDescription(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .dictionary:
        let pairs = mirror.children.map { pair -> String in
            let kv = Array(Mirror(reflecting: pair.value).children)
            return "\(stableDescription(kv[0].value)): \(stableDescription(kv[1].value))"
        }
        return pairs.isEmpty ? "[:]" : "[" + pairs.sorted().joined(separator: ", ") + "]"
    case .set:
        return "[" + mirror.children.map { stableDescription($0.value) }.sorted().joined(separator: ", ") + "]"
    default:
        return String(describing: value)
    }
}
