import LabKit

// Asks no one and loses at once: it leaves nothing behind because it starts nothing.

public func election(_ e: Election) async -> Bool {
    false
}
