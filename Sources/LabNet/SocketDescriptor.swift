import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A socket's descriptor, given back to the kernel only when no call is using it: Go's `fdMutex`,
/// in small.
///
/// The kernel gives a closed descriptor's number to the next socket opened, at once. A thread
/// that closes a socket while another is in a blocking call on it, or about to make one (a reader
/// between two reads, an accept thread between two accepts), would let that other thread read,
/// write or accept on a stranger's socket: in the test suite, the next test's server, whose
/// connections went one in two to the old server's accept thread. So `close` shuts the socket
/// down, which wakes every call blocked on it, and the number goes back when the last call
/// returns; a call made after `close` fails at once.
final class SocketDescriptor: @unchecked Sendable {  // unchecked: `lock` guards the fields below it
    let fd: Int32
    private let lock = NSLock()
    private var users = 0
    private var closing = false

    init(_ fd: Int32) { self.fd = fd }

    /// Runs `body` with the descriptor, which stays the socket's until `body` returns; throws
    /// `.closed` once `close` has been called.
    func use<T>(_ body: (Int32) throws -> T) throws -> T {
        try lock.withLock {
            guard !closing else { throw NetError(.closed, "closed") }
            users += 1
        }
        defer {
            if lock.withLock({ users -= 1; return closing && users == 0 }) { Glibc.close(fd) }
        }
        return try body(fd)
    }

    /// Shuts the socket down (after `prepare`, which may set its options) and closes it now, or
    /// when the last call using it returns. Only the first call does anything.
    func close(_ prepare: (Int32) -> Void = { _ in }) {
        let now = lock.withLock { () -> Bool in
            guard !closing else { return false }
            closing = true
            prepare(fd)
            shutdown(fd, Int32(SHUT_RDWR))
            return users == 0
        }
        if now { Glibc.close(fd) }
    }
}
