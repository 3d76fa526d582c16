import Foundation
import LabKit

/// Keys read one at a time from a terminal, without waiting for Enter and without echo. The
/// terminal is given back as it was on `q`, and on Ctrl-C too (when the builds and checks running
/// are ended).
final class Keys: @unchecked Sendable {  // unchecked: `saved` is behind its box
    private let saved = LockedBox<termios?>(nil)

    func raw() {
        var t = termios()
        guard tcgetattr(STDIN_FILENO, &t) == 0 else { return }
        saved.set(t)
        Reaper.endAllOnSignals(then: { [self] in restore() })
        t.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSANOW, &t)
    }

    func restore() {
        guard var t = saved.withValue({ old -> termios? in defer { old = nil }; return old }) else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &t)
    }

    /// A key pressed since the last call, if any.
    func next() -> Character? {
        var byte: UInt8 = 0
        guard read(STDIN_FILENO, &byte, 1) == 1 else { return nil }
        return Character(Unicode.Scalar(byte))
    }
}
