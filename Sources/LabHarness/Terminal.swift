import Foundation
import LabKit

/// Where programs write: progress only on a terminal, nothing extra when piped.
public struct Terminal: Sendable {
    public let fd: Int32

    public static let standardError = Terminal(fd: STDERR_FILENO)
    public static let standardOutput = Terminal(fd: STDOUT_FILENO)

    /// True on an interactive terminal (and not under CI).
    public var isInteractive: Bool {
        isatty(fd) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Shows `message` on one self-erasing line on a terminal; does nothing when piped.
    public func progress(_ message: String) {
        guard isInteractive else { return }
        write("\r\u{1B}[K" + message)
    }

    /// Erases the progress line.
    public func clearProgress() {
        guard isInteractive else { return }
        write("\r\u{1B}[K")
    }
}
