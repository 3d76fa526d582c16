import LabHarness

/// What a connection speaks. Go's net/rpc has two codecs, both here: gob (its default, compact
/// and typed, for Go peers) and JSON (`net/rpc/jsonrpc`, for anyone else); and it can start a
/// gob connection with an HTTP `CONNECT` (`rpc.DialHTTP`), to pass through HTTP's ports and
/// proxies.
public enum WireProtocol: String, CaseIterable, Sendable {
    case jsonrpc
    case gob
    case http
    /// A server only: each connection's first bytes decide (`{` is JSON, a capital letter is an
    /// HTTP request, anything else is gob's first message length).
    case auto

    /// The `--protocol` option of the server programs.
    public static let serverOption = Option.value(
        "--protocol", "jsonrpc|gob|http|auto",
        "Wire format: Go's net/rpc/jsonrpc, net/rpc's gob, gob after an HTTP CONNECT (rpc.HandleHTTP), or auto: each connection's first bytes decide, so one port serves all three.",
        default: "auto")

    /// The `--protocol` option of the client programs.
    public static let clientOption = Option.value(
        "--protocol", "jsonrpc|gob|http",
        "Wire format: Go's net/rpc/jsonrpc, net/rpc's gob (rpc.Dial), or gob after an HTTP CONNECT (rpc.DialHTTP).",
        default: "jsonrpc")

    public init(_ flags: Flags, client: Bool) throws {
        let names = Self.allCases.filter { !client || $0 != .auto }.map(\.rawValue)
        self.init(rawValue: try flags.choice("--protocol", from: names))!
    }
}
