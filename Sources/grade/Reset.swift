import Foundation
import LabHarness

/// `make reset EX=03`: puts back an exercise's stub (kept in the exercise's `.stub/` folder), after
/// asking. The student's file is copied to `.lab/saved/` first, so nothing is lost.
enum Reset {
    /// Puts back the stub in the lab's `Exercises/`, or in a `submission` folder.
    static func run(_ e: Exercise, lab: URL, submission: URL?, yes: Bool) throws -> String {
        let stubs = lab.appendingPathComponent("Exercises/\(e.folder)/.stub")
        let root = submission ?? lab.appendingPathComponent("Exercises")
        let folder = root.appendingPathComponent(e.folder)
        for f in e.files where !FileManager.default.fileExists(atPath: stubs.appendingPathComponent(f).path) {
            throw UsageError("no stub of \(e.folder)/\(f) is kept (Exercises/\(e.folder)/.stub/\(f) is missing)")
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
            try FileManager.default.copyItem(at: stubs.appendingPathComponent(f), to: mine)
        }
        return "Put back the stub of \(names); your file is in \(saved.path.replacingOccurrences(of: (submission ?? lab).path + "/", with: ""))/."
    }
}
