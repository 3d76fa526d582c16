import Foundation
import LabKit

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
    /// A program next to this one that is missing, or failed, or did not print its report.
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The program `name`, built next to this one (`crawl` runs `crawl-mutex`, `vote` runs `vote-cond`).
    public static func sibling(_ name: String) throws -> URL {
        let program = siblingsDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            let me = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
            throw Failed(description: "\(name) is not built next to \(me); run `swift build` first")
        }
        return program
    }

    /// Runs the sibling program `name` with `arguments` and decodes the JSON report it prints.
    public static func report<Report: Decodable>(_ type: Report.Type, from name: String, _ arguments: [String]) throws -> Report {
        let r = try run(try sibling(name), arguments)
        guard r.status == 0, let report = try? JSON.decode(Report.self, from: r.stdout) else {
            throw Failed(description: "\(name) failed (status \(r.status)): \(r.stderr)")
        }
        return report
    }

    /// Starts a server program, which prints `NAME listening on HOST:PORT` on its first line once
    /// it listens, and returns it with that port; terminate it when done. `launcher` runs the
    /// program instead of running it directly (a shell that sets a limit first, say).
    public static func startServer(_ program: URL, _ arguments: [String], environment: [String: String]? = nil,
                                   launcher: [String] = []) throws -> (Process, Int) {
        let p = Process()
        p.executableURL = launcher.isEmpty ? program : URL(fileURLWithPath: launcher[0])
        p.arguments = (launcher.isEmpty ? [] : Array(launcher.dropFirst()) + [program.path]) + arguments
        if let environment { p.environment = environment }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let first = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        let name = program.lastPathComponent
        guard first.hasPrefix("\(name) listening on "),
              let port = first.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            p.terminate()
            throw Failed(description: "\(name) printed '\(first)' instead of '\(name) listening on HOST:PORT'")
        }
        return (p, port)
    }

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
