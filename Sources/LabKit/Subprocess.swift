import Foundation

/// Runs another program and collects what it printed: how `crawl` runs each variant in its own
/// process, and how tests run the built programs the way a user does.
public struct Subprocess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The program ran past its time limit and was killed.
        public var timedOut = false
        /// It ended on a signal (a crash, or the kill after a time limit) rather than by exiting.
        public var signalled = false
    }

    /// The folder holding this program, where `swift build` puts its sibling programs too.
    public static var siblingsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs `executable` with `arguments`; standard error is captured when `captureStderr`, else shared.
    /// With a `timeout`, the program is killed (SIGKILL) when it runs longer, and `timedOut` says so.
    /// `input` is written to its standard input, which is then closed (else it reads nothing).
    public static func run(_ executable: URL, _ arguments: [String], captureStderr: Bool = true,
                           environment: [String: String]? = nil, directory: URL? = nil,
                           timeout: Duration? = nil, input: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        if captureStderr { process.standardError = err }
        try process.run()
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        let killed = LockedBox(false)
        let exited = DispatchSemaphore(value: 0)
        if let timeout {
            let pid = process.processIdentifier
            Thread {
                if exited.wait(timeout: .now() + timeout.seconds) == .timedOut {
                    killed.set(true)
                    kill(pid, SIGKILL)
                }
            }.start()
        }
        // Read both pipes on threads of their own while waiting, so a chatty child never blocks on
        // a full pipe. A grandchild that keeps a pipe open (a crash reporter, say) is not waited for
        // longer than a few seconds after the program itself has exited.
        let outData = LockedBox(Data())
        let errData = LockedBox(Data())
        let readers = DispatchGroup()
        for (pipe, box) in [(out, outData)] + (captureStderr ? [(err, errData)] : []) {
            readers.enter()
            Thread {
                box.set(pipe.fileHandleForReading.readDataToEndOfFile())
                readers.leave()
            }.start()
        }
        process.waitUntilExit()
        exited.signal()
        _ = readers.wait(timeout: .now() + 5)
        return Result(status: process.terminationStatus, stdout: String(decoding: outData.value, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self), timedOut: killed.value,
                      signalled: process.terminationReason == .uncaughtSignal)
    }
}
