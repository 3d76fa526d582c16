/// A schedule's printable name: the thread picked at each choice, joined by dots ("1.2.1").
/// A run of the same pick, which a spin makes, is written once with its count: "0x150" is
/// 150 picks of thread 0.
enum ScheduleName {
    static func encode(_ choices: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < choices.count {
            var j = i
            while j < choices.count && choices[j] == choices[i] { j += 1 }
            if j - i >= 4 {
                parts.append("\(choices[i])x\(j - i)")
            } else {
                parts += choices[i..<j].map(String.init)
            }
            i = j
        }
        return parts.joined(separator: ".")
    }

    /// The choices, or nil when `name` is not a name; `limit` bounds how many it may expand to.
    static func decode(_ name: String, limit: Int) -> [Int]? {
        if name.isEmpty { return [] }
        var choices: [Int] = []
        for part in name.split(separator: ".", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
            guard let thread = Int(pieces[0]), thread >= 0, thread < 100_000 else { return nil }
            var count = 1
            if pieces.count == 2 {
                guard let n = Int(pieces[1]), n >= 1 else { return nil }
                count = n
            }
            guard choices.count + count <= limit else { return nil }
            choices += Array(repeating: thread, count: count)
        }
        return choices
    }
}
