/// Lock-order inversions, found without having to deadlock. A thread that takes `b` while it
/// holds `a` orders `a` before `b`. If some thread (this one, or another, in this run) has
/// ordered `b` before `a`, directly or through other mutexes, then on another schedule each can
/// hold one and wait for the other for ever, even when this schedule finished. Each mutex taken
/// while others are held adds an edge to a graph (as ThreadSanitizer's deadlock detector and
/// Linux's lockdep do); an edge that closes a cycle is reported, once a run. As with them, a
/// cycle is reported even when a third mutex, always taken first, keeps it from deadlocking,
/// and when one thread alone took the mutexes in both orders.
final class LockOrder {
    private struct Edge {
        let to: Mutex
        /// "t1 took b while holding a (row 4)"
        let how: String
    }

    private var edges: [ObjectIdentifier: [Edge]] = [:]
    /// Every mutex in the graph, kept alive: a freed one's identifier must not be reused within the run.
    private var nodes: [ObjectIdentifier: Mutex] = [:]
    private var reported = false

    /// `t` is about to take `m`: adds an edge from each mutex it holds, reporting the first cycle.
    func taking(_ m: Mutex, by t: LabThread) {
        let run = t.run
        for h in t.held where h !== m {
            let from = ObjectIdentifier(h)
            if edges[from, default: []].contains(where: { $0.to === m }) { continue }
            let how = "\(t.name) took \(m.name) while holding \(h.name) (row \(run.steps.count + 1))"
            if !reported, let back = path(from: m, to: from) {
                reported = true
                let cycle = ([how] + back).joined(separator: ", and ")
                run.fail(.lockOrder, "lock-order inversion: \(cycle): on another schedule each can hold one "
                    + "and wait for the other for ever (take them in one order everywhere)", step: run.steps.count)
            }
            edges[from, default: []].append(Edge(to: m, how: how))
            nodes[from] = h
            nodes[ObjectIdentifier(m)] = m
        }
    }

    /// The edges of a path from `a` to `b`, if there is one (depth first; a run has few mutexes).
    private func path(from a: Mutex, to b: ObjectIdentifier) -> [String]? {
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(a)]
        func walk(_ node: ObjectIdentifier) -> [String]? {
            for e in edges[node] ?? [] {
                if ObjectIdentifier(e.to) == b { return [e.how] }
                if seen.insert(ObjectIdentifier(e.to)).inserted, let rest = walk(ObjectIdentifier(e.to)) { return [e.how] + rest }
            }
            return nil
        }
        return walk(ObjectIdentifier(a))
    }
}
