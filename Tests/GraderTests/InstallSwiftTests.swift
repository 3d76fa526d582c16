import Foundation
import LabHarness
import LabNet
import LabTesting
import XCTest

/// autograder/install-swift.sh (what setup.sh runs on Gradescope) against a stand-in of swift.org:
/// Python's http.server in swift.org's layout, and a key of the test's own as swift.org's. It
/// installs a toolchain whose signature verifies, and nothing from a tarball swapped on the way or
/// signed by another key. (`Fixtures/install-swift-unchecked.sh`, which checks no signature, is
/// caught by the same assertions.)
final class InstallSwiftTests: LabTestCase {
    static let lab = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let version = "6.3.1", platform = "ubuntu22.04"

    override func setUpWithError() throws {
        try super.setUpWithError()
        if RaceDetector.isEnabled { throw XCTSkip("skipped: shell scripts, checked in the first pass of make test") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gpg") else {
            throw XCTSkip("skipped: gpg is not installed (Debian: apt-get install gnupg); the installer checks a signature with it")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("skipped: /usr/bin/python3 is not installed; it serves the stand-in of swift.org")
        }
    }

    func testInstallsOnlyAToolchainSignedBySwiftOrgsKeys() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("install-swift-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: root) }
        func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Subprocess.Result {
            try Subprocess.run(URL(fileURLWithPath: program), arguments,
                               environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, timeout: .seconds(120))
        }
        // Two signers: swift.org's stand-in, and a stranger.
        func gpg(_ who: String, _ arguments: [String]) throws {
            let home = root.appendingPathComponent("gpg-\(who)")
            try fm.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let r = try run("/usr/bin/gpg", ["--batch", "--quiet", "--passphrase", "", "--pinentry-mode", "loopback"] + arguments,
                            environment: ["GNUPGHOME": home.path])
            XCTAssertEqual(r.status, 0, "gpg \(arguments): \(r.stderr)")
        }
        defer {
            for who in ["swift", "stranger", "revoked"] {
                _ = try? run("/usr/bin/gpgconf", ["--kill", "all"], environment: ["GNUPGHOME": root.appendingPathComponent("gpg-\(who)").path])
            }
        }
        for who in ["swift", "stranger", "revoked"] { try gpg(who, ["--quick-gen-key", "\(who) <\(who)@example.invalid>", "ed25519", "sign", "never"]) }
        let web = root.appendingPathComponent("web")
        try fm.createDirectory(at: web.appendingPathComponent("keys"), withIntermediateDirectories: true)
        try gpg("swift", ["--armor", "--output", web.appendingPathComponent("keys/all-keys.asc").path, "--export"])

        // swift.org's layout: swift-6.3.1-release/ubuntu2204/swift-6.3.1-RELEASE/swift-6.3.1-RELEASE-ubuntu22.04.tar.gz
        let arch = try run("/usr/bin/uname", ["-m"]).stdout.hasPrefix("aarch64") ? "-aarch64" : ""
        let name = "swift-\(Self.version)-RELEASE-\(Self.platform)\(arch)"
        let folder = web.appendingPathComponent("swift-\(Self.version)-release/\(Self.platform.replacingOccurrences(of: ".", with: ""))\(arch)/swift-\(Self.version)-RELEASE")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let published = folder.appendingPathComponent("\(name).tar.gz")
        /// A toolchain whose `swift --version` prints `says`.
        func toolchain(_ says: String) throws -> URL {
            let top = root.appendingPathComponent("toolchains/\(says.filter(\.isLetter))/\(name)")
            try fm.createDirectory(at: top.appendingPathComponent("usr/bin"), withIntermediateDirectories: true)
            let swift = top.appendingPathComponent("usr/bin/swift")
            try "#!/bin/sh\necho '\(says)'\n".write(to: swift, atomically: true, encoding: .utf8)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift.path)
            let tarball = top.deletingLastPathComponent().appendingPathComponent("\(name).tar.gz")
            let r = try run("/usr/bin/tar", ["-czf", tarball.path, "-C", top.deletingLastPathComponent().path, name])
            XCTAssertEqual(r.status, 0, r.stderr)
            return tarball
        }
        func publish(_ tarball: URL, signedBy who: String?) throws {
            try? fm.removeItem(at: published)
            try fm.copyItem(at: tarball, to: published)
            if let who {
                let sig = published.appendingPathExtension("sig")
                try? fm.removeItem(at: sig)
                try gpg(who, ["--detach-sign", "--output", sig.path, published.path])
            }
        }

        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-m", "http.server", "--bind", "127.0.0.1", "--directory", web.path, String(port)]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate() }
        let up = ContinuousClock.now + .seconds(10)
        while (try? TCPConnection.connect(host: "127.0.0.1", port: port)) == nil, ContinuousClock.now < up { usleep(50_000) }
        let downloads = "http://127.0.0.1:\(port)"

        struct Installed { var result: Subprocess.Result; var swiftSays: String? }
        func install(_ script: URL, as folder: String, version: String = InstallSwiftTests.version) throws -> Installed {
            let into = root.appendingPathComponent("installed/\(folder)")
            let r = try run(script.path, [version, Self.platform, into.appendingPathComponent("prefix").path, into.appendingPathComponent("bin").path],
                            environment: ["LAB_SWIFT_DOWNLOADS": downloads, "LAB_SWIFT_KEYS": "\(downloads)/keys/all-keys.asc"])
            let swift = into.appendingPathComponent("bin/swift").path
            let says = fm.isExecutableFile(atPath: swift) ? try run(swift, ["--version"]).stdout.trimmingCharacters(in: .newlines) : nil
            return Installed(result: r, swiftSays: says)
        }
        let installer = Self.lab.appendingPathComponent("autograder/install-swift.sh")
        let unchecked = Self.lab.appendingPathComponent("Tests/GraderTests/Fixtures/install-swift-unchecked.sh")
        let refusal = "install-swift.sh: \(name).tar.gz does not match its signature by swift.org's keys: not installed"

        // swift.org's toolchain, signed by swift.org's key: installed.
        try publish(try toolchain("Swift version 6.3.1 (stand-in)"), signedBy: "swift")
        let good = try install(installer, as: "good")
        XCTAssertEqual(good.result.status, 0, good.result.stderr)
        XCTAssertEqual(good.swiftSays, "Swift version 6.3.1 (stand-in)")
        XCTAssertTrue(good.result.stdout.contains("install-swift.sh: Swift 6.3.1 (\(name))"), good.result.stdout)

        // Swapped on the way (the signature is swift.org's, of the other tarball): nothing installed.
        let swapped = try toolchain("Swift version 6.3.1 (swapped)")
        try publish(swapped, signedBy: nil)
        let refused = try install(installer, as: "swapped")
        XCTAssertEqual(refused.result.status, 1)
        XCTAssertTrue(refused.result.stderr.hasPrefix(refusal), refused.result.stderr)
        XCTAssertNil(refused.swiftSays, "a swapped toolchain was installed")
        XCTAssertFalse(fm.fileExists(atPath: root.appendingPathComponent("installed/swapped/prefix/usr").path))
        // The same assertion catches an installer that checks nothing.
        let fooled = try install(unchecked, as: "unchecked")
        XCTAssertEqual(fooled.swiftSays, "Swift version 6.3.1 (swapped)", "the broken installer must install what it was given")

        // Signed, but by a key that is not swift.org's: nothing installed.
        try publish(swapped, signedBy: "stranger")
        let stranger = try install(installer, as: "stranger")
        XCTAssertEqual(stranger.result.status, 1)
        XCTAssertTrue(stranger.result.stderr.hasPrefix(refusal), stranger.result.stderr)
        XCTAssertNil(stranger.swiftSays, "a toolchain signed by a stranger was installed")

        // Signed by a key that swift.org's keys hold, revoked: nothing installed.
        try publish(swapped, signedBy: "revoked")
        let revocations = root.appendingPathComponent("gpg-revoked/openpgp-revocs.d")
        let certificate = try XCTUnwrap(fm.contentsOfDirectory(at: revocations, includingPropertiesForKeys: nil).first)
        let revocation = root.appendingPathComponent("revocation.asc")  // gpg writes it with a ':' that keeps it from being imported by mistake
        try String(contentsOf: certificate, encoding: .utf8).replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN")
            .write(to: revocation, atomically: true, encoding: .utf8)
        try gpg("revoked", ["--import", revocation.path])
        let revokedKey = root.appendingPathComponent("revoked.asc")
        try gpg("revoked", ["--armor", "--output", revokedKey.path, "--export"])
        let keys = web.appendingPathComponent("keys/all-keys.asc")
        try (String(contentsOf: keys, encoding: .utf8) + String(contentsOf: revokedKey, encoding: .utf8)).write(to: keys, atomically: true, encoding: .utf8)
        let revoked = try install(installer, as: "revoked")
        XCTAssertEqual(revoked.result.status, 1)
        XCTAssertTrue(revoked.result.stderr.hasPrefix(refusal), revoked.result.stderr)
        XCTAssertNil(revoked.swiftSays, "a toolchain signed by a revoked key was installed")

        // A version swift.org does not have, and a call without its arguments: one line each.
        let missing = try install(installer, as: "missing", version: "9.9.9")
        XCTAssertEqual(missing.result.status, 1)
        XCTAssertTrue(missing.result.stderr.hasSuffix(
                       "install-swift.sh: cannot download \(downloads)/swift-9.9.9-release/\(Self.platform.replacingOccurrences(of: ".", with: ""))\(arch)/swift-9.9.9-RELEASE/swift-9.9.9-RELEASE-\(Self.platform)\(arch).tar.gz (at most 4000000000 bytes)\n"), missing.result.stderr)
        // A key file larger than any key file (an endless or swollen answer): refused, not read.
        try Data(count: 11_000_000).write(to: web.appendingPathComponent("keys/swollen.asc"))
        let swollen = try run(installer.path, [Self.version, Self.platform, root.appendingPathComponent("installed/swollen/prefix").path,
                                               root.appendingPathComponent("installed/swollen/bin").path],
                              environment: ["LAB_SWIFT_DOWNLOADS": downloads, "LAB_SWIFT_KEYS": "\(downloads)/keys/swollen.asc"])
        XCTAssertEqual(swollen.status, 1)
        XCTAssertTrue(swollen.stderr.hasSuffix("install-swift.sh: cannot download \(downloads)/keys/swollen.asc (at most 10000000 bytes)\n"),
                      swollen.stderr)
        let usage = try run(installer.path, [])
        XCTAssertEqual(usage.status, 2)
        XCTAssertEqual(usage.stderr, "usage: install-swift.sh VERSION PLATFORM [PREFIX] [BIN]\n")
    }
}
