import Foundation
import LabKit
import LabHarness
import LabNet
import LabRPC

// The load of issue 4's benchmark: C clients, one connection each, calls one after another,
// alternating Put and Get over 100 keys per client, all on loopback; operations per second and
// latency percentiles. With no --server, it starts the kv-server built next to it.

let tool = Tool(
    name: "rpc-bench", summary: "Measure a kv-server: operations per second and p50/p99 latency.",
    options: [
        .value("--server", "HOST:PORT", "The kv-server to load (default: the kv-server next to this program, started for the run)."),
        .value("--clients", "N", "Clients, each with its own connection.", default: "8"),
        .value("--ops", "N", "Calls per client.", default: "20000"),
        .value("--clients-on", "WHAT", "threads (blocking calls, as Go's goroutines make them), tasks (async calls, on the cooperative pool) or poller (async calls, on the thread that reads the replies).", default: "threads"),
        .flag("--json", "Print the figures as JSON."),
    ])

/// Client `c`'s call number `i`: a Put on even calls, a Get on odd ones, over 100 keys per client.
/// (The two loads below differ only in `try` and `try await`: Swift cannot write one for both.)
enum Call {
    case put(PutArgs)
    case get(GetArgs)

    init(client c: Int, _ i: Int) {
        let key = "c\(c)-k\(i / 2 % 100)"
        self = i % 2 == 0 ? .put(PutArgs(key: key, value: String(i))) : .get(GetArgs(key: key))
    }
}

/// The load on Threads with blocking calls: the same shape as Go's benchmark, whose goroutines
/// each block in client.Call.
func onThreadsRun(clients: Int, ops: Int, host: String, port: Int) throws -> [Double] {
    let results = LockedBox<[Result<[Double], any Error>]>([])
    let done = DispatchSemaphore(value: 0)
    for c in 0..<clients {
        Thread {
            let result = Result { () throws -> [Double] in
                let client = try BlockingRPCClient(host: host, port: port)
                var lat: [Double] = []
                lat.reserveCapacity(ops)
                for i in 0..<ops {
                    let t0 = ContinuousClock.now
                    switch Call(client: c, i) {
                    case .put(let args): let _: PutReply = try client.call("KV.Put", args)
                    case .get(let args): let _: GetReply = try client.call("KV.Get", args)
                    }
                    lat.append((ContinuousClock.now - t0).seconds * 1e6)
                }
                return lat
            }
            results.withValue { $0.append(result) }
            done.signal()
        }.start()
    }
    for _ in 0..<clients { done.wait() }
    return try results.value.flatMap { try $0.get() }.sorted()
}

struct BenchResult: Codable {
    var clients: Int
    var operations: Int
    var seconds: Double
    var opsPerSecond: Double
    var p50Micros: Double
    var p99Micros: Double
}

await tool.main { flags in
    let clients = try flags.int("--clients", min: 1, max: 1000)
    let ops = try flags.int("--ops", min: 2)
    var host = "127.0.0.1"
    var port: Int
    var server: Process?
    if let address = flags.string("--server") {
        (host, port) = try parseAddress(address, option: "--server")
    } else {
        (server, port) = try Subprocess.startServer(try Subprocess.sibling("kv-server"), ["--listen", "127.0.0.1:0"])
    }
    // SIGKILL, not SIGTERM: a child started from a task inherits the pool thread's signal mask,
    // which blocks SIGTERM, so it would outlive this program.
    defer { server.map { _ = kill($0.processIdentifier, SIGKILL) } }
    let clientsOn = try flags.choice("--clients-on", from: ["threads", "tasks", "poller"])
    let onThreads = clientsOn == "threads"
    let start = ContinuousClock.now
    let latencies = onThreads ? try onThreadsRun(clients: clients, ops: ops, host: host, port: port) : try await withThrowingTaskGroup(of: [Double].self) { group in
        for c in 0..<clients {
            group.addTask(executorPreference: clientsOn == "poller" ? RPCClient.executor : nil) { [port, host] in
                let client = try RPCClient(host: host, port: port)
                var lat: [Double] = []
                lat.reserveCapacity(ops)
                for i in 0..<ops {
                    let t0 = ContinuousClock.now
                    switch Call(client: c, i) {
                    case .put(let args): let _: PutReply = try await client.call("KV.Put", args)
                    case .get(let args): let _: GetReply = try await client.call("KV.Get", args)
                    }
                    lat.append((ContinuousClock.now - t0).seconds * 1e6)
                }
                return lat
            }
        }
        var all: [Double] = []
        for try await l in group { all += l }
        return all.sorted()
    }
    let seconds = (ContinuousClock.now - start).seconds
    let r = BenchResult(
        clients: clients, operations: latencies.count, seconds: seconds, opsPerSecond: Double(latencies.count) / seconds,
        p50Micros: latencies[latencies.count / 2], p99Micros: latencies[latencies.count * 99 / 100])
    if flags.has("--json") {
        print(JSON.encode(r))
    } else {
        print("\(clients) clients on \(clientsOn), \(grouped(r.operations)) calls in \(fixed(seconds, 2)) s: \(grouped(Int(r.opsPerSecond))) ops/s, "
              + "latency p50 \(fixed(r.p50Micros, 0)) µs, p99 \(fixed(r.p99Micros, 0)) µs")
    }
}
