import Foundation

/// Where a submission holds each exercise's files. A copy of `Exercises/` has them in its `NN-name`
/// folders; what a student uploads to Gradescope may be that, the lab's whole folder, or the
/// files alone. So a file is looked for in its exercise's folder first, then in `Exercises/` (the
/// lab's folder), then anywhere in the submission by its name, when exactly one file has it.
/// The walk looks at no more than `maxEntries` entries and never follows a link.
struct Submission {
    let root: URL
    /// Every plain name found in the walk, with where: "CrawlDepth.swift" → its paths.
    private var byName: [String: [String]] = [:]
    static let maxEntries = 20_000
    static let maxDepth = 6

    init(_ root: URL) {
        self.root = root
        var seen = 0
        var stack: [(String, Int)] = [("", 0)]
        while let (dir, depth) = stack.popLast(), seen < Self.maxEntries {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                seen += 1
                if seen > Self.maxEntries { break }
                let relative = dir.isEmpty ? name : dir + "/" + name
                var st = stat()
                guard lstat(root.appendingPathComponent(relative).path, &st) == 0 else { continue }
                if st.st_mode & S_IFMT == S_IFDIR {
                    if depth + 1 < Self.maxDepth { stack.append((relative, depth + 1)) }
                } else {
                    byName[name, default: []].append(relative)
                }
            }
        }
    }

    /// Where `file` of exercise `e` is within the submission: `.found`, `.absent`, or `.ambiguous`
    /// when more than one copy could be the student's (then nothing is guessed).
    enum Place: Equatable {
        case found(String)
        case absent
        case ambiguous([String])
    }

    func place(of file: String, in e: Exercise) -> Place {
        let anywhere = byName[file] ?? []
        for candidate in ["\(e.folder)/\(file)", "Exercises/\(e.folder)/\(file)"] where anywhere.contains(candidate) {
            return .found(candidate)
        }
        // Deeper: the lab's own layout first, then the exercise's folder, then the name alone.
        for suffix in ["/Exercises/\(e.folder)/\(file)", "/\(e.folder)/\(file)", ""] {
            let matches = anywhere.filter { suffix.isEmpty || $0.hasSuffix(suffix) }
            if matches.count == 1 { return .found(matches[0]) }
            if matches.count > 1 { return .ambiguous(matches.sorted()) }
        }
        return .absent
    }

    /// The path of `file` of exercise `e` within the submission, if exactly one copy is there.
    func path(of file: String, in e: Exercise) -> String? {
        if case .found(let p) = place(of: file, in: e) { return p }
        return nil
    }

    func url(of file: String, in e: Exercise) -> URL? { path(of: file, in: e).map { root.appendingPathComponent($0) } }
}
