/// A binary min-heap of (key, value) pairs.
package struct MinHeap<Key: Comparable, Value> {
    package init() {}
    private var items: [(Key, Value)] = []

    package mutating func push(_ key: Key, _ value: Value) {
        items.append((key, value))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent].0 <= items[i].0 { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    package func peek() -> (Key, Value)? { items.first }

    package mutating func pop() -> (Key, Value)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < items.count && items[l].0 < items[m].0 { m = l }
            if r < items.count && items[r].0 < items[m].0 { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}
