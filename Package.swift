// swift-tools-version:6.2
// The Swift Concurrency Lab: MIT 6.824 Lecture 2 ("RPC and Threads") in Swift on Linux.
// No package dependencies: the toolchain only. Linux only (LabSys uses epoll and eventfd), and
// Swift 6.2 at least (`addImmediateTask`, task executors).
import Foundation
import PackageDescription

/// The crawler of the lecture in each design, one executable each (`swift run crawl-mutex`).
let crawlVariants = ["crawl-serial", "crawl-mutex", "crawl-channel", "crawl-actor", "crawl-group"]

/// The vote-counting program of the lecture in each variant, one executable each (`swift run vote-cond`).
let voteVariants = ["vote-racy", "vote-spin", "vote-sleep", "vote-cond", "vote-channel", "vote-group"]

/// The RPC servers and clients of the lecture.
let rpcPrograms = ["kv-server", "kv-client", "arith-server", "arith-client", "rpc-semantics", "rpc-bench"]

/// The exercises students complete, in order: the folder `Exercises/NN-some-name/` is the library
/// target `SomeName`, holding the student's files, and `Tests/ExerciseChecks/SomeNameChecks.swift`
/// holds its checks. Adding an exercise: its folder, its checks file, and its name here.
/// The grader builds a copy holding only the exercises it grades, which it names in
/// LAB_GRADING_EXERCISES (an input SwiftPM's manifest cache sees, where a folder's presence is not);
/// otherwise, those whose folder is there.
let exerciseFolders = ["01-crawl-depth", "02-crawl-bounded", "03-vote-cond", "04-vote-stream", "05-kv-locking", "06-at-most-once"]
let graded = Context.environment["LAB_GRADING_EXERCISES"].map { $0.split(separator: ",").map(String.init) }
let exercises: [(folder: String, module: String)] = exerciseFolders
    .filter { graded?.contains($0) ?? FileManager.default.fileExists(atPath: Context.packageDirectory + "/Exercises/\($0)/exercise.json") }
    .map { folder in
        (folder, folder.split(separator: "-").dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())
    }

let exerciseTargets: [Target] = exercises.map { (e: (folder: String, module: String)) -> Target in
    .target(name: e.module, dependencies: ["LabKit", "LabRPC"], path: "Exercises/\(e.folder)",
            exclude: ["README.md", "hints", "exercise.json"])
}
let exerciseModules: [Target.Dependency] = exercises.map { .target(name: $0.module) }

/// The shared libraries every program and test builds on.
let libraries: [Target] = [
    // ThreadSanitizer's report hook, so a test can count races in its own process. Its exit hook
    // is looked up by name when the process ends, so it must be in the dynamic symbol table.
    .target(name: "LabTSan", linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=__tsan_on_finalize"])]),
    // What Swift's Glibc module does not show: the thread's stack, epoll and eventfd, the descriptor limit.
    .target(name: "LabSys"),
    // What the programs and the students' code build on: the Fetcher and the webs, elections,
    // notAttempted, the lab's timer. The exercises import this one alone.
    .target(name: "LabKit", dependencies: ["LabSys"]),
    // The harness around them: flags, tables, JSON, subprocesses, measurement, instrumentation,
    // the crawl and vote programs' shared main, ThreadSanitizer's counts.
    .target(name: "LabHarness", dependencies: ["LabKit", "LabTSan"]),
    // Sockets, below HTTP and RPC: blocking and task-suspending, the epoll poller, the two
    // connection models (a Thread per connection, or a task per connection).
    .target(name: "LabNet", dependencies: ["LabKit", "LabHarness", "LabSys"]),
    // RPC: Go-compatible JSON-RPC over LabNet's sockets, and the services' types.
    .target(name: "LabRPC", dependencies: ["LabKit", "LabHarness", "LabNet"]),
]

/// What grading needs: the libraries, the exercises, and their checks. The grader (`grade`) builds
/// a copy of the package with LAB_GRADING=1, so a student's build compiles nothing else.
let grading: [Target] = libraries + exerciseTargets + [
    // Test helpers: race assertions, the watchdog, running the built programs, exercise checks.
    .target(name: "LabTesting", dependencies: ["LabKit", "LabHarness", "LabNet", "LabTSan", "LabSys"], path: "Tests/LabTesting"),
    // One checks file per exercise: each test is one check, worth the points in its exercise.json.
    .testTarget(
        name: "ExerciseChecks",
        dependencies: ["LabKit", "LabHarness", "LabRPC", "LabTesting"] + exerciseModules),
]

/// The worked examples, one executable each.
let variantPrograms: [Target] = (crawlVariants + voteVariants).map { .executableTarget(name: $0, dependencies: ["LabKit", "LabHarness"]) }
let rpcTargets: [Target] = rpcPrograms.map { .executableTarget(name: $0, dependencies: ["LabKit", "LabHarness", "LabNet", "LabRPC"]) }
let crawlDependencies: [Target.Dependency] = ["LabKit", "LabHarness"] + crawlVariants.map { .target(name: $0) }
let voteDependencies: [Target.Dependency] = ["LabKit", "LabHarness"] + voteVariants.map { .target(name: $0) }
let frontEnds: [Target] = [
    // `crawl` runs every variant on the same web, each in its own process, and compares them.
    .executableTarget(name: "crawl", dependencies: crawlDependencies),
    // `vote` compares, traces and steps through the vote variants, each run as its own program.
    .executableTarget(name: "vote", dependencies: voteDependencies),
    // `grade` grades the exercises, each in isolation, from outside the processes that run them.
    .executableTarget(name: "grade", dependencies: ["LabKit", "LabHarness", "LabSys"]),
    // `site-server` serves the generated web over HTTP/1.1, on LabNet's sockets.
    .executableTarget(name: "site-server", dependencies: ["LabKit", "LabHarness", "LabNet"]),
    // `explore` runs a scenario under many schedules, replays one, or lets a person schedule it.
    .executableTarget(name: "explore", dependencies: ["LabHarness", "LabSched", "Scenarios"]),
]

/// The interleaving explorer: Go's primitives, run natively or one thread at a time under a
/// scheduler that chooses (LabSched), and the lecture's programs written with them (Scenarios).
let explorer: [Target] = [
    .target(name: "LabSched", dependencies: ["LabKit", "LabTSan"]),
    .target(name: "Scenarios", dependencies: ["LabSched"]),
]

/// The tests of the worked examples and of the grader.
let exampleTests: [Target] = [
    .testTarget(name: "LabKitTests", dependencies: ["LabKit", "LabHarness", "LabTesting"]),
    .testTarget(name: "CrawlerTests", dependencies: crawlDependencies + ["LabNet", "LabTesting", "crawl", "site-server"]),
    .testTarget(name: "RPCTests", dependencies: ["LabKit", "LabHarness", "LabNet", "LabRPC", "LabTesting"] + rpcPrograms.map { .target(name: $0) }),
    .testTarget(name: "VoteTests", dependencies: voteDependencies + ["LabTesting", "vote"]),
    .testTarget(name: "GraderTests", dependencies: ["LabKit", "LabHarness", "LabTesting", "grade"], exclude: ["Fixtures"]),
    .testTarget(name: "ExploreTests", dependencies: ["LabKit", "LabHarness", "LabSched", "Scenarios", "LabTesting", "explore"]),
]
let examples: [Target] = explorer + variantPrograms + frontEnds + rpcTargets + exampleTests

let programs = crawlVariants + ["crawl", "site-server"] + voteVariants + ["vote", "grade", "explore"] + rpcPrograms
let isGrading = Context.environment["LAB_GRADING"] == "1"

let package = Package(
    name: isGrading ? "LabGrading" : "SwiftConcurrencyLab",
    products: isGrading ? [] : programs.map { .executable(name: $0, targets: [$0]) },
    targets: isGrading ? grading : grading + examples,
    swiftLanguageModes: [.v6]
)
