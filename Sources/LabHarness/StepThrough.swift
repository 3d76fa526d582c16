import Foundation

/// Prints each line; on a terminal, waits for Enter before the next one (q and Enter stop).
/// Without a terminal it prints them all: a pipe has no one to press Enter.
public func stepThrough(_ lines: [String]) {
    let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    if interactive { print("Press Enter for each next step (q then Enter to stop).") }
    for (i, line) in lines.enumerated() {
        print("[\(i + 1)/\(lines.count)] " + line)
        if interactive, let answer = readLine(), answer.lowercased().hasPrefix("q") { return }
    }
}
