import Foundation
import LabSys

/// Ends every process the code under test left behind. The grader is made a *subreaper*
/// (prctl PR_SET_CHILD_SUBREAPER): a process whose parent ends is handed to the grader instead of
/// init, so nothing a check starts can slip away, not by ignoring SIGTERM, by a new session
/// (setsid), or by a double fork. After each check process, and before any result is written,
/// every child still there that is not one of the grader's own (`own`: its builds, its check
/// processes, a class grading's gradings, which may run at the same time) is killed (SIGKILL)
/// and reaped, until none is left.
enum Reaper {
    static func adoptOrphans() {
        _ = lab_become_subreaper()
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var own: Set<pid_t> = []  // guarded by `lock`

    /// Runs a process of the grader's own: `spawn` starts it (`Subprocess.run(..., started:)`)
    /// and tells its pid at once. No sweep runs between the start and that word, or it would take
    /// the new process for a leftover.
    static func own<T>(_ spawn: (@escaping (Int32) -> Void) throws -> T) throws -> T {
        var pid: pid_t?
        lock.lock()
        defer { lock.withLock { if let pid { own.remove(pid) } } }
        do {
            return try spawn { started in
                pid = started
                own.insert(started)
                lock.unlock()
            }
        } catch {
            if pid == nil { lock.unlock() }
            throw error
        }
    }

    /// Kills every child of this process that is not one of its own, reaps those that ended, and
    /// returns what each was (its command line).
    @discardableResult
    static func killLeftovers() -> [String] {
        lock.withLock {
            var killed: [String] = []
            for _ in 0..<100 {
                let children = childProcesses().filter { !own.contains($0.pid) }
                if children.isEmpty { break }
                for (pid, ended) in children where !ended {
                    killed.append(commandLine(pid))
                    kill(pid, SIGKILL)
                }
                // An orphan that had already ended (a zombie, such as ThreadSanitizer's symbolizer
                // after its test process exited) is only reaped: nothing of it was running.
                for (pid, _) in children {
                    var status: Int32 = 0
                    _ = waitpid(pid, &status, 0)
                }
            }
            return killed
        }
    }

    /// This process's children, each with whether it has already ended (a zombie).
    private static func childProcesses() -> [(pid: pid_t, ended: Bool)] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.compactMap { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // pid (comm) state ppid ...: the name may hold spaces, so read after its last ')'.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, pid_t(fields[1]) == me else { return nil }
            return (pid, fields[0] == "Z" || fields[0] == "X")
        }
    }

    private static func commandLine(_ pid: pid_t) -> String {
        let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
        let words = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        if words.isEmpty {  // a process that is exiting has no command line left; its name stays
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let name = stat.split(separator: "(", maxSplits: 1).last?.split(separator: ")").first.map(String.init)
            return "process \(pid)" + (name.map { " (\($0))" } ?? "")
        }
        return words.joined(separator: " ").prefix(120).description
    }
}
