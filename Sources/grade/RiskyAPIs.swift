import Foundation

/// What in a submission an instructor should read before trusting its grade: calls that start
/// processes, touch files, read the environment, send or catch signals, read standard input, or
/// end the process. The grader is built to survive all of them; this says where they are.
enum RiskyAPIs {
    static let kinds: [(kind: String, patterns: [String])] = [
        ("processes", ["Process(", "posix_spawn", "fork(", "execv", "system(", "popen("]),
        ("files", ["FileManager", "FileHandle", "fopen(", "open(", "contentsOfFile", "write(to", "write(toFile", "unlink("]),
        ("the environment", ["ProcessInfo", "getenv(", "setenv(", "environment"]),
        ("signals", ["signal(", "sigaction", "kill(", "raise(", "sigprocmask", "pthread_sigmask"]),
        ("standard input", ["readLine(", "stdin", "standardInput", "STDIN_FILENO"]),
        ("ending the process", ["exit(", "_exit(", "abort(", "Thread.exit"]),
    ]

    /// One line per file that uses any of them: `01-crawl-depth/CrawlDepth.swift: processes (Process()), files (FileManager)`.
    static func report(_ exercises: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: exercises, includingPropertiesForKeys: nil) else { return [] }
        var lines: [String] = []
        for case let file as URL in walker where file.pathExtension == "swift" {
            // A student's file is read whole, so only up to a size no exercise file comes near.
            let size = (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
            guard size <= 1 << 20, let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            let found = kinds.compactMap { k -> String? in
                let hits = k.patterns.filter { uses(code, $0) }
                return hits.isEmpty ? nil : "\(k.kind) (\(hits.joined(separator: ", ")))"
            }
            if !found.isEmpty {
                let relative = file.path.hasPrefix(exercises.path + "/") ? String(file.path.dropFirst(exercises.path.count + 1)) : file.path
                lines.append("\(relative): \(found.joined(separator: ", "))")
            }
        }
        return lines.sorted()
    }

    /// C functions whose names are also common method names (`cond.signal()`, `file.open()`).
    static let cFunctions: Set = ["signal(", "kill(", "raise(", "exit(", "_exit(", "abort(", "open(", "fopen(",
                                  "unlink(", "system(", "popen(", "fork(", "getenv(", "setenv("]

    /// Whether `code` names `api` as a word of its own: `signal(` is POSIX's signal, but not
    /// `cond.signal(` (a method) nor `mySignal(`; `Process(` may be `Foundation.Process(`.
    static func uses(_ code: String, _ api: String) -> Bool {
        let isMethodLike = cFunctions.contains(api)
        var rest = code[...]
        while let r = rest.range(of: api) {
            let head = code[..<r.lowerBound]
            let before = head.last
            var joined = before.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
            if isMethodLike && before == "." {
                // A method of some value, unless the value is a C module: `Glibc.exit(0)`.
                let owner = head.dropLast().reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                joined = !["Glibc", "Darwin", "Foundation", "Musl"].contains(String(owner.reversed()))
            }
            if !joined { return true }
            rest = code[r.upperBound...]
        }
        return false
    }
}
