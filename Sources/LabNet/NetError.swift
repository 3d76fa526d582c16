#if canImport(Glibc)
import Glibc
#endif

/// A network failure, said in one line, with what kind of failure it is so that callers can act
/// on it without reading its text.
public struct NetError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Nothing arrived, or nothing could be sent, within the time allowed.
        case timedOut
        /// The socket was closed on this side.
        case closed
        /// Anything else the system reported (connection refused, reset, ...).
        case system
    }

    public var kind: Kind
    public var description: String

    init(_ what: String, errno e: Int32 = errno) {
        kind = .system
        description = "\(what): \(String(cString: strerror(e)))"
    }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        description = message
    }
}
