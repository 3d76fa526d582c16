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
        guard let pw = getpwnam(name) else { return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS: no user '\(name)' here")) }
        guard geteuid() == 0 else { return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS=\(name) needs the grader to run as root (it runs as uid \(geteuid()))")) }
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS=\(name) needs \(setpriv) (util-linux), which is not installed"))
        }
        guard pw.pointee.pw_uid != 0 else { return .failure(CheckedUserError("LAB_GRADE_CHECKS_AS=\(name): that user is root")) }
        return .success(ChecksUser(name: name, uid: pw.pointee.pw_uid, gid: pw.pointee.pw_gid))
    }()

    /// `program arguments`, run as this user: no other group, and no way back up (no setuid
    /// program can raise it again).
    func command(_ program: URL, _ arguments: [String]) -> (URL, [String]) {
        (URL(fileURLWithPath: Self.setpriv),
         ["--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--no-new-privs", "--", program.path] + arguments)
    }

    /// Fails, saying why, when this user cannot run `program` in `directory`: a folder on the way
    /// closed to other users would otherwise fail every check, and each student would get zero.
    func mustReach(_ program: URL, in directory: URL) throws {
        let (setpriv, args) = command(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$0\" && test -x \"$1\"", directory.path, program.path])
        let r = try Subprocess.run(setpriv, args, timeout: .seconds(30))
        guard r.status == 0 else {
            throw CheckedUserError("the checks' user \(name) cannot run \(program.path) from \(directory.path): a folder on the way is closed to "
                                   + "other users (chmod o+x it), or unset LAB_GRADE_CHECKS_AS")
        }
    }
}

struct CheckedUserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
