import Foundation
import LabNet
import LabTesting
import XCTest

/// The kernel gives a closed socket's number to the next socket opened. A call made through a
/// closed `TCPConnection` or `TCPListener` (by a thread that was about to make it when another
/// closed the socket) must fail, not reach the socket that has the number now. In the suite, that
/// socket is the next test's server: its connections went, one in two, to the old server's accept
/// thread, and were never answered.
final class ClosedSocketTests: LabTestCase {
    /// Closes a socket made by `open` until the next one made gets its number, then calls `body`
    /// with the closed one and the new one.
    private static func withReusedNumber<Old, New>(_ open: () throws -> Old, _ fd: (Old) -> Int32, close: (Old) -> Void,
                                            reopen: () throws -> New, _ newFD: (New) -> Int32, drop: (New) -> Void,
                                            _ body: (Old, New) throws -> Void) throws {
        for _ in 0..<20 {
            let old = try open()
            close(old)
            let new = try reopen()
            if newFD(new) == fd(old) { return try body(old, new) }
            drop(new)
        }
        XCTFail("the kernel never gave a closed socket's number to the next socket: nothing was checked")
    }

    func testAnAcceptAfterCloseNeverTakesTheNextListenersConnections() throws {
        try withWatchdog(20, "an accept after close", onThread: Self.acceptAfterClose)
    }

    private static func acceptAfterClose() throws {
        try withReusedNumber({ try TCPListener() }, { $0.fd }, close: { $0.close() },
                             reopen: { try TCPListener() }, { $0.fd }, drop: { $0.close() }) { old, new in
            defer { new.close() }
            let client = try TCPConnection.connect(host: "127.0.0.1", port: new.port)
            defer { client.close() }
            XCTAssertThrowsError(try old.accept(), "a closed listener accepted a connection made to the next one")
        }
    }

    func testAReadOrWriteAfterCloseNeverReachesTheNextConnection() throws {
        try withWatchdog(20, "a read or write after close", onThread: Self.readOrWriteAfterClose)
    }

    private static func readOrWriteAfterClose() throws {
        let listener = try TCPListener()
        defer { listener.close() }
        try withReusedNumber({ try TCPConnection.connect(host: "127.0.0.1", port: listener.port) }, { $0.fd },
                             close: { $0.close() },
                             reopen: { try TCPConnection.connect(host: "127.0.0.1", port: listener.port) }, { $0.fd },
                             drop: { $0.close() }) { old, new in
            defer { new.close() }
            XCTAssertThrowsError(try old.write(Array("through the old one".utf8)), "a closed connection wrote")
            try new.write(Array("hello".utf8))
            // The listener's side of the new connection: the connections the tries left behind come
            // first, closed (they say hello to no one).
            var buffer = [UInt8](repeating: 0, count: 64)
            var served: TCPConnection?
            var got: [UInt8] = []
            for _ in 0..<25 {
                guard let conn = try? listener.accept() else { break }
                conn.setReadTimeout(.milliseconds(300))
                while !String(decoding: got, as: UTF8.self).hasSuffix("hello"), let n = try? conn.read(into: &buffer), n > 0 { got += buffer[0..<n] }
                if !got.isEmpty {
                    served = conn
                    break
                }
            }
            // What reached it is its own, and nothing else.
            XCTAssertEqual(String(decoding: got, as: UTF8.self), "hello")
            // What it sends back reaches the new connection whole, none of it read through the old one.
            try XCTUnwrap(served).write(Array("welcome".utf8))
            Thread.sleep(forTimeInterval: 0.05)
            XCTAssertThrowsError(try old.readAvailable(into: &buffer), "a closed connection read")
            XCTAssertThrowsError(try old.read(into: &buffer), "a closed connection read")
            new.setReadTimeout(.seconds(5))
            var back: [UInt8] = []
            while back.count < 7, let n = try? new.read(into: &buffer), n > 0 { back += buffer[0..<n] }
            XCTAssertEqual(String(decoding: back, as: UTF8.self), "welcome")
        }
    }
}
