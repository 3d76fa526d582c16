import LabKit

// Asks no one and loses at once: never late, never spinning, never racing, and worth nothing.

public func election(_ e: Election) -> Bool {
    false
}
