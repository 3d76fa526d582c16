import Foundation
import LabHarness

/// A ThreadSanitizer report read for a student: each access it names (read or write, which thread,
/// whether that thread held a lock) with the line of the student's code that made it.
///
/// ThreadSanitizer prints each access with a full stack of mangled names, most of them the lab's
/// and the toolchain's. The line that matters is the first frame in the exercise's own folder.
public struct RaceReport {
    public struct Access: Equatable {
        /// "read", "write", "Swift modifying access", "atomic write"...
        public var kind: String
        /// "thread T10" or "main thread".
        public var thread: String
        public var heldLock: Bool
        /// "KVLocking.swift:36", or nil when no frame has a file and line.
        public var place: String?
        /// The function of that frame, demangled ("KV.append(AppendArgs) -> AppendReply").
        public var function: String?
        public var previous: Bool
        /// Whether `place` is the student's code, or (none of the stack being theirs) the lab's code that called it.
        public var inOwnCode: Bool
        /// The frames that have a file and line, innermost first, at most 5: "KVLocking.swift:36 in ...".
        public var stack: [String]
    }

    public var title: String
    public var accesses: [Access]

    /// Reads the first report in `text`; `ownCode` picks the frames that are the student's
    /// (by default those in an `Exercises/` folder).
    public init(_ text: String, ownCode: (String) -> Bool = { $0.contains("/Exercises/") }) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        title = lines.first { $0.contains("WARNING: ThreadSanitizer:") }
            .map { $0.replacingOccurrences(of: #"^.*WARNING: ThreadSanitizer: "#, with: "", options: .regularExpression)
                     .replacingOccurrences(of: #" \(pid=\d+\)"#, with: "", options: .regularExpression) } ?? "race"
        var accesses: [Access] = []
        var frames: [(path: String, line: String?, symbol: String)] = []
        var header: String?
        func finish() {
            guard let h = header else { return }
            header = nil
            let own = frames.first { ownCode($0.path) && $0.line != nil }
            let chosen = own ?? frames.first { $0.line != nil }
            accesses.append(Access(kind: Self.kind(h), thread: Self.thread(h), heldLock: h.contains("(mutexes:"),
                                   place: chosen.map { "\(($0.path as NSString).lastPathComponent):\($0.line!)" },
                                   function: chosen.map { demangled($0.symbol) },
                                   previous: h.hasPrefix("Previous"), inOwnCode: own != nil,
                                   stack: frames.filter { $0.line != nil }.prefix(5).map {
                                       "\(($0.path as NSString).lastPathComponent):\($0.line!) in \(demangled($0.symbol))"
                                   }))
            frames = []
        }
        for line in lines {
            let t = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  "), !line.hasPrefix("    "), t.contains(" by "), t.hasSuffix(":"),
               !t.hasPrefix("Location"), !t.hasPrefix("Mutex"), !t.hasPrefix("Thread") {
                finish()
                header = t
            } else if header != nil, t.hasPrefix("#"), let f = Self.frame(t) {
                frames.append(f)
            } else if t.isEmpty {
                finish()
            }
        }
        finish()
        self.accesses = accesses
    }

    /// "  read by thread T10, holding no lock, at KVLocking.swift:36 in KvLocking.KV.append(...)", one per access.
    public var summary: String {
        accesses.map { a in
            "  \(a.previous ? "earlier, " : "")\(a.kind) by \(a.thread), \(a.heldLock ? "holding a lock" : "holding no lock")"
                + (a.place.map { a.inOwnCode ? ", at \($0)" : ", in code called from \($0) (the lab's, which called yours)" } ?? "")
                + (a.inOwnCode ? a.function.map { " in \($0)" } ?? "" : "")
        }.joined(separator: "\n")
    }

    /// Each access with the frames that have a line: ThreadSanitizer's report without its noise.
    public var stacks: String {
        accesses.map { a in
            "\(a.previous ? "Earlier, " : "")\(a.kind) by \(a.thread):\n" + a.stack.map { "    \($0)" }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func kind(_ header: String) -> String {
        var k = header.replacingOccurrences(of: "Previous ", with: "")
        if let at = k.range(of: " at 0x") ?? k.range(of: " by ") { k = String(k[..<at.lowerBound]) }
        k = k.replacingOccurrences(of: #" of size \d+"#, with: "", options: .regularExpression)
        k = k.prefix(1).lowercased() + k.dropFirst()
        if k.hasSuffix(" of Swift variable") { k = "Swift " + k.dropLast(" of Swift variable".count) }
        return k
    }

    static func thread(_ header: String) -> String {
        guard let by = header.range(of: " by ") else { return "a thread" }
        return header[by.upperBound...].split(separator: " ").prefix(2).joined(separator: " ")
            .trimmingCharacters(in: CharacterSet(charactersIn: ":"))
    }

    /// `#3 symbol /path/File.swift:36:27 (module+0x...)`: its path, line and symbol.
    static func frame(_ t: String) -> (path: String, line: String?, symbol: String)? {
        let words = t.split(separator: " ").map(String.init)
        guard words.count >= 3 else { return nil }
        let location = words[2].split(separator: ":").map(String.init)
        let line = location.count >= 2 && Int(location[1]) != nil ? location[1] : nil
        return (location[0], line, words[1])
    }
}
