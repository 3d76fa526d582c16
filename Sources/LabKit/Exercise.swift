import Foundation

/// Marks an exercise stub. Every stub in `Exercises/` calls it; the checks then report the exercise
/// as not attempted (skipped) instead of failing it. Delete the call when you start the exercise.
public func notAttempted(_ file: StaticString = #fileID) {
    let module = String(describing: file).split(separator: "/").first.map(String.init) ?? ""
    Stubs.marked.withValue { _ = $0.insert(module) }
}

/// The modules whose stub has run in this process (see `notAttempted`).
public enum Stubs {
    static let marked = LockedBox<Set<String>>([])

    /// Whether the stub of `module` ("CrawlDepth") has run.
    public static func ran(in module: String) -> Bool { marked.value.contains(module) }
}
