import LabTSan

/// ThreadSanitizer, seen from inside the process (see `Sources/LabTSan`).
public enum RaceDetector {
    /// Whether this build runs under ThreadSanitizer (`swift build --sanitize=thread`).
    public static var isEnabled: Bool { lab_tsan_enabled() != 0 }

    /// Races reported by this process so far (always 0 without ThreadSanitizer).
    public static var reportCount: Int { Int(lab_tsan_report_count()) }
}
