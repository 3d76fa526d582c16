import Foundation
import LabKit
import LabHarness
import LabNet

extension RPCServer {
    /// The `main` of a server program: `--listen`, `--model`, `--protocol`, the handlers `register` adds, then
    /// `NAME listening on HOST:PORT` on standard output and serving until the process is stopped.
    public static func runProgram(name: String, summary: String, register: (RPCServer) -> Void) {
        Tool(
            name: name, summary: summary,
            options: [
                .value("--listen", "HOST:PORT", "Address to listen on; port 0 picks a free one.", default: "127.0.0.1:0"),
                ConnectionModel.option,
                .value("--loops", "N", "The tasks model's event loops (pollers, a thread each): 1 is the lecture's one netpoller; 2 puts one on each core of a 2-core machine, as Go runs goroutines on every core.", default: "1"),
                WireProtocol.serverOption,
            ],
            discussion: "Prints `\(name) listening on HOST:PORT`, then serves until stopped (Ctrl-C)."
        ).mainSync { flags in
            let (host, port) = try parseAddress(flags.string("--listen")!, option: "--listen")
            let model = try ConnectionModel(flags)
            let wire = try WireProtocol(flags, client: false)
            let loops = try flags.int("--loops", min: 1, max: 64)
            guard loops == 1 || model == .tasks else { throw UsageError("--loops is for the tasks model (--model tasks)") }
            FileLimit.raise()
            let server = RPCServer(wire: wire)
            register(server)
            let bound = try server.listen(host: host, port: port, model: model, loops: loops)
            print("\(name) listening on \(host):\(bound)")
            fflush(nil)  // so that a script reading the pipe sees the port at once
            while true { sleep(3600) }
        }
    }
}
