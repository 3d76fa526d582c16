import Foundation
import LabKit

// Counts nothing and loses at once: never late, never spinning, never racing, and worth nothing.

public final class BallotBox: @unchecked Sendable {
    public init(voters: Int, needed: Int) {}
    public func cast(_ yes: Bool) {}
    public func outcome() -> Bool { false }
}
