import Foundation
import LabKit
import LabHarness
import XCTest

/// Runs the lab's programs as a user does, from the folder where `swift build` put them
/// (the same folder as the test bundle), as swift-argument-parser's example tests do.
public enum Programs {
    public static var directory: URL { Subprocess.siblingsDirectory }

    public static func run(_ name: String, _ arguments: [String] = [],
                           file: StaticString = #filePath, line: UInt = #line) throws -> Subprocess.Result {
        let program = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            XCTFail("\(name) is not built in \(directory.path); run `swift build` first", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return try Subprocess.run(program, arguments, environment: ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("TSAN_")
        })
    }

    /// Starts a server program with `--listen 127.0.0.1:0` and returns it with the port it
    /// prints on its first line (`NAME listening on HOST:PORT`). Terminate it when done.
    /// With a `fileLimit`, the server runs with at most that many descriptors (`ulimit -n`).
    public static func launchServer(_ name: String, _ arguments: [String] = [], fileLimit: Int? = nil,
                                    file: StaticString = #filePath, line: UInt = #line) throws -> (Process, Int) {
        do {
            return try Subprocess.startServer(
                directory.appendingPathComponent(name), ["--listen", "127.0.0.1:0"] + arguments,
                environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TSAN_") },
                launcher: fileLimit.map { ["/bin/bash", "-c", "ulimit -n \($0) && exec \"$0\" \"$@\""] } ?? [])
        } catch {
            XCTFail("\(error)", file: file, line: line)
            throw error
        }
    }

    /// The Go peers in `Tests/GoPeers` (Go's own net/rpc, the lecture's crawlers), or the program
    /// in its folder `package` (`./lecture/kv`), built into `.build/go-peers/` and built again only
    /// when a Go file of it is newer (both passes of `make test`, and every test, share one build);
    /// skips the test where Go is not installed.
    public static func buildGoPeers(_ package: String = ".", file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let goPeers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GoPeers")
        guard let go = ["/usr/bin/go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("skipped: Go is not installed (Debian: apt-get install golang-go); this checks against the lecture's Go")
        }
        let fm = FileManager.default
        let folder = goPeers.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/go-peers")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = package == "." ? "gopeers" : package.split(separator: "/").joined(separator: "-").replacingOccurrences(of: ".-", with: "")
        let binary = folder.appendingPathComponent(name)
        let sources = goPeers.appendingPathComponent(package).standardizedFileURL
        let newest = ((try? fm.contentsOfDirectory(at: sources, includingPropertiesForKeys: [.contentModificationDateKey])) ?? [])
            .filter { $0.pathExtension == "go" } + [goPeers.appendingPathComponent("go.mod")]
        let newestSource = newest.compactMap { try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate }.max() ?? .distantFuture
        if let built = try? binary.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate, built > newestSource {
            return binary
        }
        let fresh = folder.appendingPathComponent("\(name).\(getpid())")
        let build = try Subprocess.run(URL(fileURLWithPath: go), ["build", "-o", fresh.path, package], directory: goPeers, timeout: .seconds(300))
        guard build.status == 0, !build.timedOut else {
            XCTFail("go build \(package) in Tests/GoPeers \(build.timedOut ? "ran over 300 s" : "failed"): \(build.stderr)", file: file, line: line)
            throw CocoaError(.executableLoad)
        }
        _ = rename(fresh.path, binary.path)  // whole, at once: another process may be running the old one
        return binary
    }

    /// Runs a built program on a terminal of its own (script(1) gives it one), typing `input`;
    /// skips the test where util-linux's script is not installed.
    public static func runOnTerminal(_ name: String, _ arguments: [String], input: String) throws -> Subprocess.Result {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("skipped: /usr/bin/script (util-linux) gives the program a terminal here; it is not installed")
        }
        let command = ([directory.appendingPathComponent(name).path] + arguments).joined(separator: " ")
        return try Subprocess.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"],
                                  environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TSAN_") },
                                  timeout: .seconds(30), input: Data(input.utf8))
    }

    /// Checks that a bad command line gets one clear error line, then the usage, and exit status 2.
    public static func assertUsageError(
        _ name: String, _ arguments: [String], says expected: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let r = try run(name, arguments, file: file, line: line)
        XCTAssertEqual(r.status, 2, "\(name) \(arguments.joined(separator: " ")) should exit 2", file: file, line: line)
        let first = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        XCTAssertTrue(first.hasPrefix("\(name): error: "), "first line of stderr: \(first)", file: file, line: line)
        XCTAssertTrue(first.contains(expected), "'\(first)' should say '\(expected)'", file: file, line: line)
        XCTAssertTrue(r.stderr.contains("USAGE: \(name)"), "the usage should follow the error", file: file, line: line)
        XCTAssertEqual(r.stdout, "", "nothing on standard output", file: file, line: line)
    }
}
