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
        /// It held more memory than its limit and was killed.
        public var overMemory = false
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

    /// With a `memoryLimit` (bytes), its resident memory is looked at every 50 ms and it is killed
    /// (SIGKILL) above the limit; `overMemory` says so. (An rlimit cannot do this under
    /// ThreadSanitizer, whose shadow memory needs terabytes of address space.)
    /// Of each stream, at most `keepBytes` are kept: the first and the last half of that.
    /// `started` is told the process's pid as soon as it runs.
    public static func run(_ executable: URL, _ arguments: [String], captureStderr: Bool = true,
                           environment: [String: String]? = nil, directory: URL? = nil,
                           timeout: Duration? = nil, memoryLimit: Int? = nil, input: Data? = nil,
                           keepBytes: Int = 8 << 20, started: ((Int32) -> Void)? = nil) throws -> Result {
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
        started?(process.processIdentifier)
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        let killed = LockedBox(false)
        let overMemory = LockedBox(false)
        let exited = DispatchSemaphore(value: 0)
        if timeout != nil || memoryLimit != nil {
            let pid = process.processIdentifier
            let deadline = DispatchTime.now() + (timeout?.seconds ?? 1e9)
            Thread {
                while true {
                    let tick = memoryLimit == nil ? deadline : min(deadline, .now() + 0.05)
                    if exited.wait(timeout: tick) == .success { return }
                    if let memoryLimit, residentBytes(pid) > memoryLimit {
                        overMemory.set(true)
                        kill(pid, SIGKILL)
                        return
                    }
                    if DispatchTime.now() >= deadline {
                        killed.set(true)
                        kill(pid, SIGKILL)
                        return
                    }
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
                var kept = BoundedOutput(limit: keepBytes)
                while case let chunk = pipe.fileHandleForReading.availableData, !chunk.isEmpty { kept.append(chunk) }
                box.set(kept.data)
                readers.leave()
            }.start()
        }
        process.waitUntilExit()
        exited.signal()
        _ = readers.wait(timeout: .now() + 5)
        return Result(status: process.terminationStatus, stdout: String(decoding: outData.value, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self), timedOut: killed.value,
                      signalled: process.terminationReason == .uncaughtSignal, overMemory: overMemory.value)
    }

    /// A process's resident memory, from /proc/PID/statm (0 once it is gone).
    static func residentBytes(_ pid: Int32) -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}
