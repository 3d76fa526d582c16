/// The accesses to one shared variable that a new one could race with: the last store, and
/// each thread's last load since. Two accesses race when one is a store and the later thread's
/// vector clock has not heard of the earlier access (FastTrack's rule, without its shortcuts).
final class AccessHistory {
    struct Access {
        var thread: Int
        var epoch: Int
        var step: Int
        var store: Bool
    }

    private var lastStore: Access?
    private var loads: [Int: Access] = [:]  // thread → its last load since the last store
    private var raced = false

    func record(_ t: LabThread, store: Bool, variable: String) {
        let run = t.run
        let me = Access(thread: t.id, epoch: t.clock[t.id], step: run.steps.count, store: store)
        func unordered(_ a: Access) -> Bool { a.thread != t.id && a.epoch > t.clock[a.thread] }
        var other = lastStore.flatMap { unordered($0) ? $0 : nil }
        if store, other == nil { other = loads.values.sorted { $0.step < $1.step }.first(where: unordered) }
        if let other, !raced {
            raced = true  // one report per variable and schedule, as Go's race detector does
            func what(_ a: Access) -> String { a.store ? "store" : "load" }
            run.fail(.race, "data race on \(variable): \(run.threads[other.thread].name)'s \(what(other)) (row \(other.step + 1)) and "
                + "\(t.name)'s \(what(me)) (row \(me.step + 1)) are not ordered by any lock, channel or WaitGroup")
        }
        if store {
            run.stateChanged = true
            lastStore = me
            loads.removeAll(keepingCapacity: true)
        } else {
            loads[t.id] = me
        }
    }
}
