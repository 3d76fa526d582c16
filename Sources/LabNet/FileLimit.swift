import LabSys

/// The limit on open descriptors, raised once to the most the process may have: a server with
/// thousands of connections needs a descriptor for each, and the usual soft limit is 1,024. Go's
/// runtime raises it the same way when a program starts.
public enum FileLimit {
    /// Raises the limit (once) and returns it.
    @discardableResult
    public static func raise() -> Int { raised }

    private static let raised = Int(lab_raise_file_limit())
}
