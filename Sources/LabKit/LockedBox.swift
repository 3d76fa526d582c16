import Foundation

/// A value behind a lock, for handing a result from one thread to another.
public final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    public var value: Value { lock.withLock { stored } }

    public func set(_ value: Value) {
        lock.withLock { stored = value }
    }

    public func withValue<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}
