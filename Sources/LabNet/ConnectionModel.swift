import LabKit
import LabHarness

/// How a server gives its connections something to run on: the choice that seed 004 explains.
///
/// - `threads`: a Thread per connection, blocked in `recv` while the client is quiet. The
///   lecture's drawing, taken literally: simple, and each idle connection costs a thread.
/// - `tasks`: a task per connection, whose reads and writes read like blocking code but suspend
///   the task on the poller (`epoll`), so a few threads serve any number of connections: what Go's
///   netpoller does under the same blocking-looking code.
public enum ConnectionModel: String, CaseIterable, Sendable {
    case threads
    case tasks

    /// The `--model` option of the server programs.
    public static let option = Option.value(
        "--model", "threads|tasks",
        "Connection model: a Thread per connection with blocking reads (the lecture's drawing), or a task per connection suspending on an epoll poller (Go's netpoller).",
        default: "threads")

    /// The model the command line chose.
    public init(_ flags: Flags) throws {
        self.init(rawValue: try flags.choice("--model", from: Self.allCases.map(\.rawValue)))!
    }
}

/// A protocol's server side, written for both connection models: `serve(_: TCPConnection)` runs
/// on a Thread of the connection's own and may block; `serve(_: AsyncSocket)` runs in a task and
/// only suspends.
public protocol ConnectionServer: Sendable {
    func serve(_ conn: TCPConnection)
    func serve(_ conn: AsyncSocket) async
}
