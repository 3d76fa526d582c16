import Foundation
import LabKit

/// What the simulated network does to messages, each a probability from 0 to 1.
public struct Faults: Sendable, Codable {
    public var dropRequests: Double
    public var dropReplies: Double
    public var duplicateRequests: Double
    public var maxDelay: Duration

    public init(dropRequests: Double = 0, dropReplies: Double = 0, duplicateRequests: Double = 0, maxDelay: Duration = .zero) {
        self.dropRequests = dropRequests
        self.dropReplies = dropReplies
        self.duplicateRequests = duplicateRequests
        self.maxDelay = maxDelay
    }
}

/// What the network did, counted.
public struct NetworkStats: Sendable, Codable, Equatable {
    public var sent = 0
    public var requestsDropped = 0
    public var repliesDropped = 0
    public var duplicatesDelivered = 0
}

/// An in-process network in the spirit of 6.824's labrpc: a call goes to a server's handlers with
/// no socket, and on the way the network may drop the request, deliver it twice, delay it, or drop
/// the reply, drawing from a seeded generator so that a run can be repeated exactly.
/// A lost message is seen by the caller as no reply (`nil`), as a timeout would be.
public final class SimulatedNetwork: @unchecked Sendable {  // unchecked: lock guards rng and stats
    private let lock = NSLock()
    private var rng: SplitMix64
    private var counts = NetworkStats()
    public let faults: Faults

    public init(seed: UInt64, faults: Faults) {
        rng = SplitMix64(seed: seed)
        self.faults = faults
    }

    public var stats: NetworkStats { lock.withLock { counts } }

    /// One try of `method`: the reply's bytes, an error the server returned, or nil when lost.
    public func send(_ method: String, _ params: Data, to server: RPCServer) async -> Result<Data, RPCError>? {
        let (dropRequest, duplicate, dropReply, delay) = lock.withLock { () -> (Bool, Bool, Bool, Duration) in
            counts.sent += 1
            func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) / 1_000_000 < p }
            let delayNanos = faults.maxDelay > .zero ? Int64(rng.next() % UInt64(faults.maxDelay.seconds * 1e9)) : 0
            return (chance(faults.dropRequests), chance(faults.duplicateRequests), chance(faults.dropReplies), .nanoseconds(delayNanos))
        }
        if delay > .zero { try? await LatencyTimer.shared.sleep(for: delay) }
        if dropRequest {
            lock.withLock { counts.requestsDropped += 1 }
            return nil
        }
        let reply: Result<Data, RPCError>
        do { reply = .success(try await server.handle(method, params)) } catch { reply = .failure(.server("\(error)")) }
        if duplicate {
            lock.withLock { counts.duplicatesDelivered += 1 }
            _ = try? await server.handle(method, params)  // the copy runs too; its reply goes nowhere
        }
        if dropReply {
            lock.withLock { counts.repliesDropped += 1 }
            return nil
        }
        return reply
    }
}

/// At-least-once: a client that sends again, with the same arguments, until a reply arrives.
/// Every call eventually gets a reply, and some calls run more than once.
public struct AtLeastOnceClient: Sendable {
    public let network: SimulatedNetwork
    public let server: RPCServer

    public init(network: SimulatedNetwork, server: RPCServer) {
        self.network = network
        self.server = server
    }

    /// The reply, and how many tries it took.
    public func call<Args: Encodable, Reply: Decodable>(_ method: String, _ args: Args) async throws -> (Reply, tries: Int) {
        let params = Data(try GoJSON.encode(args))
        var tries = 0
        while true {
            tries += 1
            guard let reply = await network.send(method, params, to: server) else { continue }  // "timed out": again
            return (try GoJSON.decode(Reply.self, from: [UInt8](try reply.get())), tries)
        }
    }
}
