import Foundation
import LabKit
import LabRPC

/// One run: `appends` Appends from one at-least-once client over a lossy network, then the value.
struct Outcome: Codable {
    var semantics: String
    var appends: Int
    var tries: Int
    var network: NetworkStats
    /// Appends found in the final value, counting repeats.
    var executed: Int
    /// Appends found more than once.
    var duplicated: Int
    var exactlyOnce: Bool
}

/// Append `i` adds "<i>;" to the key `log<i / 100>`; the final values say which ran, and how
/// often. (A key per hundred keeps each value, and each reply, which carries the old value,
/// short: one key for everything made every Append cost as much as all before it.)
func experiment(_ name: String, server: RPCServer, appends: Int, seed: UInt64, faults: Faults) async throws -> Outcome {
    let network = SimulatedNetwork(seed: seed, faults: faults)
    let client = AtLeastOnceClient(network: network, server: server)
    var tries = 0
    for i in 0..<appends {
        let (_, t): (AppendReply, Int) = try await client.call("KV.Append", TaggedAppendArgs(clientID: 1, seq: i, key: "log\(i / 100)", value: "\(i);"))
        tries += t
    }
    var tokens: [Substring] = []
    for k in 0..<(appends + 99) / 100 {
        let final = try JSONDecoder().decode(GetReply.self, from: await server.handle("KV.Get", try JSONEncoder().encode(GetArgs(key: "log\(k)"))))
        tokens += final.value.split(separator: ";")
    }
    let distinct = Set(tokens).count
    return Outcome(semantics: name, appends: appends, tries: tries, network: network.stats, executed: tokens.count,
                   duplicated: tokens.count - distinct, exactlyOnce: tokens.map { Int($0)! } == Array(0..<appends))
}

/// A server that runs every request it receives: what at-least-once gives without a filter.
func plainServer() -> RPCServer {
    let data = LockedBox<[String: String]>([:])
    let server = RPCServer()
    server.register("KV.Append") { (a: TaggedAppendArgs) -> AppendReply in
        data.withValue { d in
            let old = d[a.key] ?? ""
            d[a.key, default: ""].append(a.value)
            return AppendReply(err: .ok, value: old)
        }
    }
    server.register("KV.Get") { (a: GetArgs) in GetReply(err: .ok, value: data.value[a.key] ?? "") }
    return server
}

func atMostOnceServer() -> (RPCServer, AtMostOnceKV) {
    let kv = AtMostOnceKV()
    let server = RPCServer()
    server.register("KV.Append", kv.append)
    server.register("KV.Get", kv.get)
    return (server, kv)
}
