import Foundation
import LabSys

/// Ends every process the code under test left behind. The grader is made a *subreaper*
/// (prctl PR_SET_CHILD_SUBREAPER): a process whose parent ends is handed to the grader instead of
/// init, so nothing a check starts can slip away, not by ignoring SIGTERM, by a new session
/// (setsid), or by a double fork. After each check process, and before any result is written,
/// every child still there is killed (SIGKILL) and reaped, until none is left.
enum Reaper {
    static func adoptOrphans() {
        _ = lab_become_subreaper()
    }

    /// Kills every child of this process and returns what each was (its command line).
    /// Call it only when no child of the grader's own is running, or say which are the grader's
    /// own (`sparing`): those are left alone, and no child that has ended is reaped (it may be one
    /// of them, which `Process` waits for itself).
    @discardableResult
    static func killLeftovers(sparing: Set<pid_t>? = nil) -> [String] {
        var killed: [String] = []
        for _ in 0..<100 {
            let children = childProcesses().filter { child in
                guard let sparing else { return true }
                return !child.ended && !sparing.contains(child.pid)
            }
            if children.isEmpty { break }
            for (pid, ended) in children where !ended {
                killed.append(commandLine(pid))
                kill(pid, SIGKILL)
            }
            if sparing != nil {
                usleep(10_000)  // to let them die before the next look
                continue
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
