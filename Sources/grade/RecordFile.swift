import Foundation

/// Where a check's process writes its record (`GradeRecorder`), made so that the code under test
/// can write it but cannot turn it into something that would stop the grader: a file in a folder
/// of the grader's own (`/tmp/lab-grade-…/`), given to the checks' user if there is one (which
/// may then write it, but not replace it: the folder is not theirs). And since, without such a
/// user, the code runs as the grader's own user and could replace it, it is read with care: only
/// if it is still a plain file (not a link, a pipe or a device), and no more than `maxBytes` of
/// it (a file swollen to 8 GB, a hole that costs no disk, took the grader past 2 GB when it was
/// read whole: GraderTests).
struct RecordFile {
    let folder: URL
    let file: URL

    /// The most of a record file the grader reads (a check's record is a few hundred bytes).
    static let maxBytes = 4 << 20

    init(for user: ChecksUser?) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-grade-\(UUID().uuidString)")
        file = folder.appendingPathComponent("records.jsonl")
        guard mkdir(folder.path, 0o711) == 0 else { throw CheckedUserError("cannot make \(folder.path): \(String(cString: strerror(errno)))") }
        let fd = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CheckedUserError("cannot make \(file.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if let user, fchown(fd, user.uid, user.gid) != 0 {
            throw CheckedUserError("cannot give \(file.path) to \(user.name): \(String(cString: strerror(errno)))")
        }
    }

    /// What the check's process wrote, if the record file is still a plain file.
    func read() -> Data {
        let fd = open(file.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return Data() }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return Data() }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while data.count < Self.maxBytes {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min($0.count, Self.maxBytes - data.count)) }
            if n <= 0 { break }
            data.append(contentsOf: chunk[..<n])
        }
        return data
    }

    /// Removes the file and its folder; never follows what the code under test may have left there.
    func remove() {
        unlink(file.path)
        rmdir(folder.path)
    }
}
