import Foundation
import LabHarness

/// The user the checks run as, when it is not the grader's own: on Gradescope the grader is root,
/// and the code under test, run as root too, could rewrite the grader's build, its results and the
/// scripts that run it. With `LAB_GRADE_CHECKS_AS=user` (run_autograder sets it when it runs as
/// root), each check process gives up root for that user before it starts (`setpriv`, which keeps
/// its pid, so the grader's limits and sweeps still find it), and can write nothing of the grader's.
struct ChecksUser: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    static let setpriv = "/usr/bin/setpriv"

    /// The user `LAB_GRADE_CHECKS_AS` names, checked once; nil when it is unset or empty.
    static let configured: Result<ChecksUser?, CheckedUserError> = {
        guard let name = ProcessInfo.processInfo.environment["LAB_GRADE_CHECKS_AS"], !name.isEmpty else { return .success(nil) }
        // A name, or a number that no user need have (run_autograder's choice when setup.sh's
        // user is missing: a uid that no user has, which owns nothing here and runs nothing).
        let user: ChecksUser
        if let pw = getpwnam(name) {
            user = ChecksUser(name: name, uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid)
        } else if let uid = uid_t(name) {
            user = ChecksUser(name: name, uid: uid, gid: getpwuid(uid).map { $0.pointee.pw_gid } ?? gid_t(uid))
        } else {
            return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS: no user '\(name)' here (name a user, or a uid)"))
        }
        guard geteuid() == 0 else { return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS=\(name) needs the grader to run as root (it runs as uid \(geteuid()))")) }
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS=\(name) needs \(setpriv) (util-linux), which is not installed"))
        }
        // (uid_t)-1 asks setresuid to leave the uid as it is: root.
        guard user.uid != 0, user.gid != 0, user.uid != uid_t.max, user.gid != gid_t.max else { return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS=\(name): that user is root")) }
        return .success(user)
    }()

    /// `program arguments`, run as this user: no other group, and no way back up (no setuid
    /// program can raise it again).
    func command(_ program: URL, _ arguments: [String]) -> (URL, [String]) {
        (URL(fileURLWithPath: Self.setpriv),
         ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--no-new-privs", "--", program.path] + arguments)
    }

    /// Fails, saying why, when this user cannot run `program` in `directory`, or write a record
    /// file: a folder on the way closed to other users would otherwise fail every check, each
    /// blamed on the student's code.
    func mustReach(_ program: URL, in directory: URL) throws {
        // After each check every process of the user is killed: it must be the checks' alone.
        let others = processes()
        guard others.isEmpty else {
            throw CheckedUserError("LAB_GRADE_CHECKS_AS=\(name): that user already runs \(others.count) process(es) here "
                                   + "(\(others.prefix(3).map(Reaper.commandLine).joined(separator: "; "))); name a user of the checks' own")
        }
        let record = try RecordFile(for: self)
        defer { record.remove() }
        let (setpriv, args) = command(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$0\" && test -x \"$1\" && : >> \"$2\"",
                                                                         directory.path, program.path, record.file.path])
        let r = try Subprocess.run(setpriv, args, timeout: .seconds(30))
        guard r.status == 0 else {
            throw CheckedUserError("the checks' user \(name) cannot run \(program.path) from \(directory.path), or write its record in "
                                   + "\(record.folder.deletingLastPathComponent().path): a folder on the way is closed to other users "
                                   + "(chmod o+x it), or unset LAB_GRADE_CHECKS_AS")
        }
    }

    /// Kills every process of this user (what a check left, however it slipped away: a chain of
    /// forks can outrun a sweep of the grader's children), and says what each was. A process of
    /// the user kills the others (`kill -9 -1`), until none is left; a few seconds at most.
    func killAll() throws -> [String] {
        var killed: Set<String> = []
        for _ in 0..<50 {
            let left = processes()
            if left.isEmpty { break }
            for pid in left { killed.insert(Reaper.commandLine(pid)) }
            let (sh, args) = command(URL(fileURLWithPath: "/bin/sh"), ["-c", "kill -9 -1"])
            _ = try Subprocess.run(sh, args, timeout: .seconds(10))
            usleep(20_000)
        }
        return killed.sorted()
    }

    /// The processes running as this user.
    func processes() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }.filter { pid in
            var st = stat()
            return stat("/proc/\(pid)", &st) == 0 && st.st_uid == uid
        }
    }
}

struct CheckedUserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
