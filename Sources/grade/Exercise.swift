import Foundation

/// One exercise as its folder describes it (`Exercises/NN-name/exercise.json`), read from the
/// instructor's copy of the lab, never from a submission: a student cannot change the points.
struct Exercise: Decodable, Sendable {
    struct Check: Decodable, Sendable {
        var name: String
        var points: Int
        /// Who sees the check's result on Gradescope: `visible` (the default), `hidden`,
        /// `after_due_date` or `after_published`.
        var visibility: String?

        static let visibilities = ["visible", "hidden", "after_due_date", "after_published"]
    }

    var folder = ""
    var title: String
    /// The files the student writes; everything else in the folder comes from the lab.
    var files: [String]
    /// How long the exercise's checks may take, all together, before the grader stops them.
    var seconds: Int
    var checks: [Check]

    enum CodingKeys: String, CodingKey { case title, files, seconds, checks }

    /// `01-crawl-depth` is the module `CrawlDepth`, as Package.swift names it.
    var module: String {
        folder.split(separator: "-").dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Its checks are the test class `<Module>Checks` in the test target ExerciseChecks.
    var checksClass: String { module + "Checks" }
    var maxPoints: Int { checks.map(\.points).reduce(0, +) }

    /// Every exercise of the lab at `root`, in order.
    static func all(in root: URL) throws -> [Exercise] {
        let dir = root.appendingPathComponent("Exercises")
        guard let found = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw ManifestError(description: "no Exercises/ folder in \(root.path): run this from the lab's folder (a handout has one)")
        }
        let folders = found
            .filter { $0.first?.isNumber == true }.sorted()
        return try folders.compactMap { folder in
            let manifest = dir.appendingPathComponent(folder).appendingPathComponent("exercise.json")
            guard let data = FileManager.default.contents(atPath: manifest.path) else { return nil }
            var e = try JSONDecoder().decode(Exercise.self, from: data)
            e.folder = folder
            for c in e.checks where !Check.visibilities.contains(c.visibility ?? "visible") {
                throw ManifestError(description: "Exercises/\(folder)/exercise.json: check \(c.name) has visibility '\(c.visibility!)'; "
                                    + "Gradescope knows \(Check.visibilities.joined(separator: ", "))")
            }
            return e
        }
    }
}

struct ManifestError: Error, CustomStringConvertible {
    var description: String
}

/// What became of one check.
struct CheckResult: Codable, Sendable {
    enum Status: String, Codable, Sendable {
        case passed, failed
        case notAttempted = "not attempted"
        case skipped
        case didNotCompile = "did not compile"
        case didNotFinish = "did not finish"
    }

    var exercise: String
    var check: String
    var points: Int
    var maxPoints: Int
    var status: Status
    var message: String
}
