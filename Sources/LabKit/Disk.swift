/// Where a key/value service keeps its values so that they survive a restart: exercise 05's KV
/// writes every change through one. A write blocks its thread until the value is stored (like a
/// file write and fsync), so whoever holds a lock across it holds that lock for that long.
public protocol Disk: Sendable {
    /// Stores `value` as `key`'s value; returns once it is stored.
    func write(_ key: String, _ value: String)
}
