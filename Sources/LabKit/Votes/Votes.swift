import Foundation

/// The lecture's two shared variables, `count` (yes votes) and `finished` (answers), in one object
/// that threads can share. `@unchecked Sendable` is a promise the compiler cannot check: every
/// program that shares it must guard it with a lock.
public final class Votes: @unchecked Sendable {
    public var count = 0
    public var finished = 0
    public init() {}
}
