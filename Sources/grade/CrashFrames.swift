import Foundation
import LabHarness

/// Where a check process crashed, in the student's code: the check process prints its stack as
/// `lab-crash-frame <binary> 0x<offset>` lines when it dies of a signal (`lab_print_frames_on_crash`
/// in LabSys), and the grader turns them into file:line with llvm-symbolizer, the tool
/// ThreadSanitizer uses, from the Swift toolchain.
enum CrashFrames {
    /// "AtMostOnce.swift:16 in AtMostOnceKV.append(WindowedAppendArgs)": the innermost frame in a
    /// file under `Exercises/`, or nil (no frames printed, no symbolizer, no frame of the student's).
    /// Only frames in `program` (the grader's own test program) are looked at, and only offsets
    /// that are numbers: the lines come from a process that runs the student's code, which could
    /// print lines of this form too.
    static func studentFrame(in stderr: String, program: URL) -> String? {
        let binary = program.resolvingSymlinksInPath().path
        let offsets = stderr.split(separator: "\n").suffix(200).compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard words.count == 3, words[0] == "lab-crash-frame", words[2].hasPrefix("0x"), words[2].count <= 18,
                  UInt64(words[2].dropFirst(2), radix: 16) != nil,
                  URL(fileURLWithPath: String(words[1])).resolvingSymlinksInPath().path == binary else { return nil }
            return String(words[2])
        }
        guard !offsets.isEmpty, let symbolizer = symbolizer() else { return nil }
        guard let r = try? Subprocess.run(symbolizer, ["--obj=\(binary)", "--no-demangle"] + offsets.prefix(64),
                                          timeout: .seconds(20)), !r.timedOut else { return nil }
        // Per address: pairs of lines (function, file:line:column), innermost inlined first, then a blank line.
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        var i = 0
        while i + 1 < lines.count {
            let function = lines[i], place = lines[i + 1]
            if function.isEmpty { i += 1; continue }
            if place.contains("/Exercises/") {
                let parts = place.split(separator: ":")
                let file = (String(parts[0]) as NSString).lastPathComponent
                return "\(file):\(parts.count > 1 ? parts[1] : "?") in \(demangled(String(function)))"
            }
            i += 2
        }
        return nil
    }

    /// llvm-symbolizer on the PATH, or beside the `swift` that the PATH finds (the toolchain's).
    static func symbolizer() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("llvm-symbolizer")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            let swift = URL(fileURLWithPath: String(dir)).appendingPathComponent("swift")
            if FileManager.default.isExecutableFile(atPath: swift.path) {
                let beside = swift.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("llvm-symbolizer")
                if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
            }
        }
        return nil
    }
}
