import Foundation
import LabKit
import LabRPC

Tool(
    name: "kv-server", summary: "The lecture's key/value server (KV.Put, KV.Get, KV.Append) over Go's JSON-RPC.",
    options: [.value("--listen", "HOST:PORT", "Address to listen on; port 0 picks a free one.", default: "127.0.0.1:0")],
    discussion: "Prints `kv-server listening on HOST:PORT`, then serves until stopped (Ctrl-C)."
).mainSync { flags in
    let (host, port) = try parseAddress(flags.string("--listen")!, option: "--listen")
    let kv = KV()
    let server = RPCServer()
    server.register("KV.Get", kv.get)
    server.register("KV.Put", kv.put)
    server.register("KV.Append", kv.append)
    let bound = try server.listen(host: host, port: port)
    print("kv-server listening on \(host):\(bound)")
    fflush(nil)  // so that a script reading the pipe sees the port at once
    while true { sleep(3600) }
}
