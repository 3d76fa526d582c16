import Foundation

/// Runs another program and collects what it printed: how `crawl` runs each variant in its own
/// process, and how tests run the built programs the way a user does.
public struct Subprocess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The folder holding this program, where `swift build` puts its sibling programs too.
    public static var siblingsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs `executable` with `arguments`; standard error is captured when `captureStderr`, else shared.
    public static func run(_ executable: URL, _ arguments: [String], captureStderr: Bool = true,
                           environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        if captureStderr { process.standardError = err }
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        let errData = LockedBox(Data())
        let errDone = DispatchSemaphore(value: 0)
        if captureStderr {
            Thread {
                errData.set(err.fileHandleForReading.readDataToEndOfFile())
                errDone.signal()
            }.start()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if captureStderr { errDone.wait() }
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

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
