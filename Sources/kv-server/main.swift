import LabNet
import LabRPC

RPCServer.runProgram(
    name: "kv-server", summary: "The lecture's key/value server (KV.Put, KV.Get, KV.Append) over Go's net/rpc (JSON, gob, or gob over HTTP)."
) { server in
    let kv = KV()
    server.register("KV.Get", kv.get)
    server.register("KV.Put", kv.put)
    server.register("KV.Append", kv.append)
}
