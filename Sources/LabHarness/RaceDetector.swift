import Foundation
import LabTSan
import LabKit

/// ThreadSanitizer, seen from inside the process (see `Sources/LabTSan`).
public enum RaceDetector {
    /// Whether this build runs under ThreadSanitizer (`swift build --sanitize=thread`).
    public static var isEnabled: Bool { lab_tsan_enabled() != 0 }

    /// Races reported by this process so far (always 0 without ThreadSanitizer).
    public static var reportCount: Int { Int(lab_tsan_report_count()) }

    /// The text of the reports this process has written since `offset` bytes into its log (where
    /// ThreadSanitizer writes them: see `Sources/LabTSan`), and the log's size now.
    public static func reports(since offset: Int) -> (text: String, end: Int) {
        let path = String(cString: lab_tsan_log_path())
        guard let data = FileManager.default.contents(atPath: path), data.count > offset else { return ("", offset) }
        return (String(decoding: data[offset...], as: UTF8.self), data.count)
    }

    /// The size of this process's report log now.
    public static var logSize: Int {
        (try? FileManager.default.attributesOfItem(atPath: String(cString: lab_tsan_log_path()))[.size] as? Int) ?? 0
    }
}
