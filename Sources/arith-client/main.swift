import Foundation
import LabKit
import LabHarness
import LabNet
import LabRPC

// Seed 004's Go client: Multiply, then Divide, printed as the Go program prints them.

let tool = Tool(
    name: "arith-client", summary: "Call an arith-server: A * B, then A / B.",
    options: [
        .value("--server", "HOST:PORT", "The arith-server to call.", default: "127.0.0.1:8096"),
        .value("--a", "N", "A.", default: "9"),
        .value("--b", "N", "B.", default: "2"),
        WireProtocol.clientOption,
    ])

await tool.main { flags in
    let (host, port) = try parseAddress(flags.string("--server")!, option: "--server")
    let req = ArithRequest(a: try flags.int("--a", min: Int.min), b: try flags.int("--b", min: Int.min))
    let client = try RPCClient(host: host, port: port, wire: try WireProtocol(flags, client: true))
    do {
        let m: ArithResponse = try await client.call("Arith.Multiply", req)
        print("\(req.a) * \(req.b) = \(m.pro)")
        let d: ArithResponse = try await client.call("Arith.Divide", req)
        print("\(req.a) / \(req.b), quo is \(d.quo), rem is \(d.rem)")
    } catch let error as RPCError {
        print("arith error: \(error)")
        exit(1)
    }
}
