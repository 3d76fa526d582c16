import Foundation
import LabKit

/// One option of a command-line program.
public struct Option: Sendable {
    public var name: String
    /// Placeholder for the value (`N`, `DURATION`); `nil` for a flag that takes none.
    public var value: String?
    public var help: String
    /// The value used when the option is absent, shown in `--help`.
    public var defaultValue: String?

    public static func flag(_ name: String, _ help: String) -> Option {
        Option(name: name, value: nil, help: help, defaultValue: nil)
    }

    public static func value(_ name: String, _ placeholder: String, _ help: String, default d: String? = nil) -> Option {
        Option(name: name, value: placeholder, help: help, defaultValue: d)
    }
}

/// A bad command line: printed as one line, then the usage, and the program exits with status 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A small command-line program: its options, `--help`, and the rule that bad input exits 2.
public struct Tool: Sendable {
    public var name: String
    public var summary: String
    public var options: [Option]
    /// Usage of positional arguments, e.g. `[VARIANT]`; empty when none are taken.
    public var arguments: String
    public var maxArguments: Int
    /// Extra text at the end of `--help`: examples, what the output means.
    public var discussion: String

    public init(
        name: String, summary: String, options: [Option], arguments: String = "", maxArguments: Int = 0,
        discussion: String = ""
    ) {
        self.name = name
        self.summary = summary
        self.options = options + [.flag("--help", "Show this help and exit.")]
        self.arguments = arguments
        self.maxArguments = maxArguments
        self.discussion = discussion
    }

    public var usage: String {
        var s = "USAGE: \(name) [options]\(arguments.isEmpty ? "" : " " + arguments)\n\nOPTIONS:\n"
        let heads = options.map { o in o.value.map { "\(o.name) <\($0.lowercased())>" } ?? o.name }
        let width = min(28, (heads.map(\.count).max() ?? 0) + 2)
        for (o, head) in zip(options, heads) {
            let pad = head.count < width ? String(repeating: " ", count: width - head.count) : "\n  " + String(repeating: " ", count: width)
            let dflt = o.defaultValue.map { " (default: \($0))" } ?? ""
            s += "  \(head)\(pad)\(o.help)\(dflt)\n"
        }
        return s
    }

    public var help: String {
        "OVERVIEW: \(summary)\n\n" + usage + (discussion.isEmpty ? "" : "\n" + discussion + "\n")
    }

    /// Parses `args` (without the program name). Throws `UsageError` for anything it does not accept.
    public func parse(_ args: [String]) throws -> Flags {
        var values: [String: String] = [:]
        var positional: [String] = []
        var i = 0
        while i < args.count {
            let arg = args[i]
            i += 1
            if arg == "-h" { values["--help"] = ""; continue }
            if arg == "--" { positional += args[i...]; break }
            guard arg.hasPrefix("-"), arg != "-" else {
                positional.append(arg)
                continue
            }
            let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
            guard let option = options.first(where: { $0.name == parts[0] }) else {
                throw UsageError("unknown option '\(parts[0])'")
            }
            if option.value == nil {
                if parts.count > 1 { throw UsageError("\(option.name) takes no value") }
                values[option.name] = ""
            } else if parts.count > 1 {
                values[option.name] = parts[1]
            } else if i < args.count, !args[i].hasPrefix("--") {
                values[option.name] = args[i]
                i += 1
            } else {
                throw UsageError("\(option.name) needs a value (\(option.value!))")
            }
        }
        if values["--help"] == nil && positional.count > maxArguments {
            throw UsageError(maxArguments == 0 ? "unexpected argument '\(positional[0])'"
                             : "unexpected argument '\(positional[maxArguments])'")
        }
        return Flags(tool: self, values: values, arguments: positional)
    }

    /// Parses the process's arguments, runs `body`, and turns bad input into one line, usage, exit 2.
    public func main(_ body: (Flags) async throws -> Void) async {
        do {
            try await body(try processFlags())
        } catch {
            exit(with: error)
        }
    }

    /// The same, for programs that must run on the process's main thread and block it (the
    /// thread-based vote programs): nothing here runs on Swift's cooperative pool.
    public func mainSync(_ body: (Flags) throws -> Void) {
        do {
            try body(try processFlags())
        } catch {
            exit(with: error)
        }
    }

    /// The process's flags; `--help` prints the help and exits.
    private func processFlags() throws -> Flags {
        let flags = try parse(Array(CommandLine.arguments.dropFirst()))
        if flags.has("--help") {
            print(help, terminator: "")
            Foundation.exit(0)
        }
        return flags
    }

    /// A usage error: one line, the usage, exit 2. Anything else: one line, exit 1.
    private func exit(with error: any Error) -> Never {
        if let usage = error as? UsageError { fail(usage) }
        Terminal.standardError.write("\(name): error: \(error)\n")
        Foundation.exit(1)
    }

    /// Prints `error: …` and the usage on standard error, and exits with status 2.
    public func fail(_ error: UsageError) -> Never {
        Terminal.standardError.write("\(name): error: \(error.message)\n\n\(usage)")
        Foundation.exit(2)
    }
}

/// The parsed options of one run, read with typed accessors that throw `UsageError` on bad values.
public struct Flags: Sendable {
    public let tool: Tool
    public let values: [String: String]
    public let arguments: [String]

    public func has(_ name: String) -> Bool { values[name] != nil }

    private func raw(_ name: String) -> String? {
        precondition(tool.options.contains { $0.name == name }, "\(name) is not an option of \(tool.name)")
        return values[name] ?? tool.options.first { $0.name == name }!.defaultValue
    }

    public func string(_ name: String) -> String? { raw(name) }

    public func int(_ name: String, min lower: Int = 0, max upper: Int = Int.max) throws -> Int {
        guard let text = raw(name) else { throw UsageError("\(name) is required") }
        guard let n = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw UsageError("\(name) must be a whole number, not '\(text)'")
        }
        guard n >= lower else { throw UsageError("\(name) must be at least \(lower), not \(n)") }
        guard n <= upper else { throw UsageError("\(name) must be at most \(upper), not \(n)") }
        return n
    }

    public func duration(_ name: String) throws -> Duration {
        guard let text = raw(name) else { throw UsageError("\(name) is required") }
        guard let d = Duration(parsing: text) else {
            throw UsageError("\(name) must be a duration such as 50ms, 1.5s or 0, not '\(text)'")
        }
        return d
    }

    public func choice(_ name: String, from choices: [String]) throws -> String {
        guard let text = raw(name) else { throw UsageError("\(name) is required") }
        guard choices.contains(text) else {
            throw UsageError("\(name) must be one of \(choices.joined(separator: ", ")), not '\(text)'")
        }
        return text
    }

    /// A comma-separated list, each item one of `choices`, in the order given, without repeats.
    public func list(_ name: String, from choices: [String]) throws -> [String] {
        guard let text = raw(name) else { return [] }
        var out: [String] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard choices.contains(item) else {
                throw UsageError("\(name): unknown '\(item)' (choose from \(choices.joined(separator: ", ")))")
            }
            if !out.contains(item) { out.append(item) }
        }
        guard !out.isEmpty else { throw UsageError("\(name) needs at least one of \(choices.joined(separator: ", "))") }
        return out
    }
}
