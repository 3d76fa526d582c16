import Foundation
import LabKit
import LabHarness
import LabNet
import LabRPC

// The lecture's client stubs: each operation is one call, and the call looks local.

let tool = Tool(
    name: "kv-client", summary: "Call a kv-server: put KEY VALUE, get KEY, or append KEY VALUE.",
    options: [
        .value("--server", "HOST:PORT", "The kv-server to call.", default: "127.0.0.1:1234"),
        .value("--timeout", "DURATION", "How long to wait for each reply.", default: "5s"),
        WireProtocol.clientOption,
    ],
    arguments: "put KEY VALUE | get KEY | append KEY VALUE", maxArguments: 3,
    discussion: "EXAMPLES:\n  kv-client --server 127.0.0.1:1234 put subject 6.5840\n  kv-client --server 127.0.0.1:1234 get subject")

await tool.main { flags in
    let (host, port) = try parseAddress(flags.string("--server")!, option: "--server")
    let timeout = try flags.duration("--timeout")
    let a = flags.arguments
    let shapes = ["put": 3, "get": 2, "append": 3]
    guard let op = a.first, let n = shapes[op] else { throw UsageError("say put KEY VALUE, get KEY or append KEY VALUE") }
    guard a.count == n else { throw UsageError("\(op) takes \(n - 1) argument\(n == 2 ? "" : "s")") }
    let client = try RPCClient(host: host, port: port, wire: try WireProtocol(flags, client: true))
    switch op {
    case "put":
        let r: PutReply = try await client.call("KV.Put", PutArgs(key: a[1], value: a[2]), timeout: timeout)
        print("Put(\(a[1]), \(a[2])) -> \(r.err.rawValue)")
    case "get":
        let r: GetReply = try await client.call("KV.Get", GetArgs(key: a[1]), timeout: timeout)
        print("Get(\(a[1])) -> \(r.err.rawValue) \(r.value)")
    default:
        let r: AppendReply = try await client.call("KV.Append", AppendArgs(key: a[1], value: a[2]), timeout: timeout)
        print("Append(\(a[1]), \(a[2])) -> \(r.err.rawValue), old value \(r.value)")
    }
}
