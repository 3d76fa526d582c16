// swift-tools-version:6.0
// The Swift Concurrency Lab: MIT 6.824 Lecture 2 ("RPC and Threads") in Swift on Linux.
// No package dependencies: the toolchain only.
import Foundation
import PackageDescription

/// The crawler of the lecture in each design, one executable each (`swift run crawl-mutex`).
let crawlVariants = ["crawl-serial", "crawl-mutex", "crawl-channel", "crawl-actor", "crawl-group"]

/// The vote-counting program of the lecture in each variant, one executable each (`swift run vote-cond`).
let voteVariants = ["vote-racy", "vote-spin", "vote-sleep", "vote-cond", "vote-channel", "vote-group"]

/// The RPC servers and clients of the lecture.
let rpcPrograms = ["kv-server", "kv-client", "arith-server", "arith-client", "rpc-semantics", "rpc-bench"]

/// The exercises, found on disk: the folder `Exercises/NN-some-name/` is the library target
/// `SomeName`, holding the student's files. Adding an exercise is adding a folder (and its checks).
let exercises: [(folder: String, module: String)] = {
    let root = Context.packageDirectory + "/Exercises"
    let folders = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return folders.filter { $0.first?.isNumber == true && FileManager.default.fileExists(atPath: "\(root)/\($0)/exercise.json") }
        .sorted()
        .map { folder in
            (folder, folder.split(separator: "-").dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
        }
}()

let exerciseTargets: [Target] = exercises.map { (e: (folder: String, module: String)) -> Target in
    .target(name: e.module, dependencies: ["LabKit", "LabRPC"], path: "Exercises/\(e.folder)",
            exclude: ["README.md", "hints", "exercise.json"])
}
let exerciseModules: [Target.Dependency] = exercises.map { .target(name: $0.module) }

let package = Package(
    name: "SwiftConcurrencyLab",
    platforms: [.macOS(.v15)],
    products: (crawlVariants + ["crawl"] + voteVariants + ["vote"] + rpcPrograms).map { .executable(name: $0, targets: [$0]) },
    targets: [
        // ThreadSanitizer's report hook, so a test can count races in its own process.
        .target(name: "LabTSan"),
        // What Swift's Glibc module does not show: malloc tuning.
        .target(name: "LabSys"),
        // Shared plumbing: webs, fetchers, instrumentation, flags, tables, JSON.
        .target(name: "LabKit", dependencies: ["LabTSan", "LabSys"]),
        // RPC: Go-compatible JSON-RPC over TCP, a thread per connection, and the services' types.
        .target(name: "LabRPC", dependencies: ["LabKit"]),
    ] + (crawlVariants + voteVariants).map {
        .executableTarget(name: $0, dependencies: ["LabKit"])
    } + [
        // `crawl` runs every variant on the same web, each in its own process, and compares them.
        .executableTarget(name: "crawl", dependencies: ["LabKit"] + crawlVariants.map { .target(name: $0) }),
        // `vote` compares, traces and steps through the vote variants, each run as its own program.
        .executableTarget(name: "vote", dependencies: ["LabKit"] + voteVariants.map { .target(name: $0) }),
    ] + rpcPrograms.map {
        .executableTarget(name: $0, dependencies: ["LabKit", "LabRPC"])
    } + exerciseTargets + [
        // Test helpers: race assertions, the watchdog, running the built programs.
        .target(name: "LabTesting", dependencies: ["LabKit", "LabTSan"], path: "Tests/LabTesting"),
        .testTarget(name: "LabKitTests", dependencies: ["LabKit", "LabTesting"]),
        .testTarget(
            name: "CrawlerTests",
            dependencies: ["LabKit", "LabTesting", "crawl"] + crawlVariants.map { .target(name: $0) }),
        .testTarget(
            name: "RPCTests",
            dependencies: ["LabKit", "LabRPC", "LabTesting"] + rpcPrograms.map { .target(name: $0) }),
        .testTarget(
            name: "VoteTests",
            dependencies: ["LabKit", "LabTesting", "vote"] + voteVariants.map { .target(name: $0) }),
        // One checks file per exercise: each test is one check, worth the points in its exercise.json.
        .testTarget(
            name: "ExerciseChecks",
            dependencies: ["LabKit", "LabRPC", "LabTesting"] + exerciseModules),
    ],
    swiftLanguageModes: [.v6]
)
