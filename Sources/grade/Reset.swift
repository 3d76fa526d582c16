import Foundation
import LabHarness

/// `make reset EX=03`: puts back an exercise's stub, after asking. The stub comes from the
/// exercise's `.stub/` folder (the handout has one: `make handout` writes it), or from the last
/// commit, in the lab's own repository, where the exercises are the stubs. The student's file is
/// copied to `.lab/saved/` first, so nothing is lost.
enum Reset {
    /// Puts back the stub in the lab's `Exercises/`, or in a `submission` folder.
    static func run(_ e: Exercise, lab: URL, submission: URL?, yes: Bool) throws -> String {
        let root = submission ?? lab.appendingPathComponent("Exercises")
        let folder = root.appendingPathComponent(e.folder)
        var stubs: [String: Data] = [:]
        for f in e.files {
            guard let stub = stub(f, of: e, lab: lab) else {
                throw UsageError("no stub of \(e.folder)/\(f) is kept here (Exercises/\(e.folder)/.stub/ is missing, and the last commit has none)")
            }
            stubs[f] = stub
        }
        let names = e.files.map { "\(e.folder)/\($0)" }.joined(separator: ", ")
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else { throw UsageError("make reset asks first: run it on a terminal, or say YES=1") }
            print("Put back the stub of \(names)? Your file is kept in .lab/saved/. [y/N] ", terminator: "")
            fflush(nil)
            guard readLine()?.lowercased().hasPrefix("y") == true else { return "Left as it is." }
        }
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "-")
        let saved = (submission ?? lab).appendingPathComponent(".lab/saved/\(e.folder)/\(stamp)")
        try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
        for f in e.files {
            let mine = folder.appendingPathComponent(f)
            if FileManager.default.fileExists(atPath: mine.path) {
                try FileManager.default.copyItem(at: mine, to: saved.appendingPathComponent(f))
                try FileManager.default.removeItem(at: mine)
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try stubs[f]!.write(to: mine)
        }
        return "Put back the stub of \(names); your file is in \(saved.path.replacingOccurrences(of: (submission ?? lab).path + "/", with: ""))/."
    }

    /// The stub of `file`: the handout's copy, or the last commit's (a stub calls `notAttempted()`).
    static func stub(_ file: String, of e: Exercise, lab: URL) -> Data? {
        if let kept = FileManager.default.contents(atPath: lab.appendingPathComponent("Exercises/\(e.folder)/.stub/\(file)").path) { return kept }
        guard let git = try? Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["git", "show", "HEAD:Exercises/\(e.folder)/\(file)"],
                                            directory: lab, timeout: .seconds(30)),
              git.status == 0, git.stdout.contains("notAttempted()") else { return nil }
        return Data(git.stdout.utf8)
    }
}
