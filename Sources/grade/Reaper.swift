import Foundation
import LabSys
import LabKit

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
    /// returns what each was (its command line). Never waits on a child while it holds the lock: a
    /// process whose main thread ended while another thread runs shows as a zombie and cannot be
    /// reaped until that thread ends, so each is sent SIGKILL whatever its state, and reaped
    /// without waiting.
    @discardableResult
    static func killLeftovers() -> [String] {
        lock.withLock {
            var killed: [pid_t: String] = [:]
            for _ in 0..<200 {  // a second at most
                let children = childProcesses().filter { !own.contains($0.pid) }
                if children.isEmpty { break }
                for (pid, ended) in children {
                    if !ended && killed[pid] == nil { killed[pid] = commandLine(pid) }
                    kill(pid, SIGKILL)
                    var status: Int32 = 0
                    _ = waitpid(pid, &status, WNOHANG)
                }
                usleep(5_000)
            }
            return killed.keys.sorted().map { killed[$0]! }
        }
    }

    /// Ends every child, the grader's own too (the grader is stopping: Ctrl-C, SIGTERM), then what
    /// they leave, for at most a few seconds.
    static func endAll() {
        let mine = lock.withLock { own }
        for pid in mine { kill(pid, SIGKILL) }
        for _ in 0..<20 {
            lock.withLock { own.removeAll() }
            if killLeftovers().isEmpty && childProcesses().allSatisfy(\.ended) { break }
        }
    }

    /// On SIGINT or SIGTERM, ends every child before the grader exits: Foundation starts each in a
    /// process group of its own, so a terminal's Ctrl-C would leave them running.
    static func endAllOnSignals(then restore: @escaping @Sendable () -> Void = {}) {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                restore()
                endAll()
                exit(128 + sig)
            }
            source.resume()
            sources.withValue { $0.append(source) }
        }
    }
    private static let sources = LockedBox<[any DispatchSourceSignal]>([])

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

    /// What a process is, for a report: its command line (or its name, once it is ending).
    static func commandLine(_ pid: pid_t) -> String {
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
