import LabNet
import LabRPC

RPCServer.runProgram(
    name: "arith-server", summary: "Seed 004's Arith service (Arith.Multiply, Arith.Divide) over Go's net/rpc (JSON, gob, or gob over HTTP)."
) { server in
    let arith = Arith()
    server.register("Arith.Multiply", arith.multiply)
    server.register("Arith.Divide", arith.divide)
}
