import Foundation
import LabKit

/// Where `make trace` keeps what the checks ran: when `LAB_TRACE_DIR` names a folder, every
/// election and every crawl a check runs is written there, so that the one that failed can be
/// drawn afterwards, with the student's own code in it.
public enum TraceFolder {
    static let directory = ProcessInfo.processInfo.environment["LAB_TRACE_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }

    /// The check running now (`testDecidesPromptly`), set by the checks' base class: two checks
    /// may run the same election or crawl, and each must find its own run.
    public static let check = LockedBox("")
}
