import Foundation
import LabKit
import LabRPC

Tool(
    name: "arith-server", summary: "Seed 004's Arith service (Arith.Multiply, Arith.Divide) over Go's JSON-RPC.",
    options: [.value("--listen", "HOST:PORT", "Address to listen on; port 0 picks a free one.", default: "127.0.0.1:0")],
    discussion: "Prints `arith-server listening on HOST:PORT`, then serves until stopped (Ctrl-C)."
).mainSync { flags in
    let (host, port) = try parseAddress(flags.string("--listen")!, option: "--listen")
    let arith = Arith()
    let server = RPCServer()
    server.register("Arith.Multiply", arith.multiply)
    server.register("Arith.Divide", arith.divide)
    let bound = try server.listen(host: host, port: port)
    print("arith-server listening on \(host):\(bound)")
    fflush(nil)  // so that a script reading the pipe sees the port at once
    while true { sleep(3600) }
}
