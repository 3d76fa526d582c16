import Foundation
import LabKit
import LabHarness
@testable import LabRPC
import LabNet
import LabTesting
import XCTest
@testable import arith_server
@testable import kv_server

/// A counter with no lock: plain memory, so that racing on it gives wrong counts, not a crash.
final class UnlockedCounter: @unchecked Sendable {
    var value = 0
}

/// A kv and arith server in this process, on a free port, as the programs register them.
func startServer(_ model: ConnectionModel = .threads) throws -> (RPCServer, Int) {
    let server = RPCServer()
    let kv = KV()
    server.register("KV.Get", kv.get)
    server.register("KV.Put", kv.put)
    server.register("KV.Append", kv.append)
    let arith = Arith()
    server.register("Arith.Multiply", arith.multiply)
    server.register("Arith.Divide", arith.divide)
    return (server, try server.listen(model: model))
}

final class RPCTests: LabTestCase {
    func testEveryMethodRoundTrips() throws {
        for model in ConnectionModel.allCases { try everyMethodRoundTrips(model) }
    }

    func everyMethodRoundTrips(_ model: ConnectionModel) throws {
        let (server, port) = try startServer(model)
        defer { server.stop() }
        try withWatchdog(20, "round trips, \(model) model") {
            let c = try RPCClient(host: "127.0.0.1", port: port)
            let missing: GetReply = try await c.call("KV.Get", GetArgs(key: "subject"))
            XCTAssertEqual(missing, GetReply(err: .noKey, value: ""))
            let put: PutReply = try await c.call("KV.Put", PutArgs(key: "subject", value: "6.5840"))
            XCTAssertEqual(put, PutReply(err: .ok))
            let got: GetReply = try await c.call("KV.Get", GetArgs(key: "subject"))
            XCTAssertEqual(got, GetReply(err: .ok, value: "6.5840"))
            let appended: AppendReply = try await c.call("KV.Append", AppendArgs(key: "subject", value: "!"))
            XCTAssertEqual(appended, AppendReply(err: .ok, value: "6.5840"), "Append returns the old value")
            let m: ArithResponse = try await c.call("Arith.Multiply", ArithRequest(a: 9, b: 2))
            XCTAssertEqual(m.pro, 18)
            let d: ArithResponse = try await c.call("Arith.Divide", ArithRequest(a: 9, b: 2))
            XCTAssertEqual([d.quo, d.rem], [4, 1])
            do {
                let _: ArithResponse = try await c.call("Arith.Divide", ArithRequest(a: 9, b: 0))
                XCTFail("dividing by zero must fail")
            } catch let e as RPCError {
                XCTAssertEqual(e, .server("divide by zero"))
            }
            do {
                let _: ArithResponse = try await c.call("Arith.Multiply", ArithRequest(a: Int.max, b: 2))
                XCTFail("an overflow must be an error, not a crash")
            } catch let e as RPCError {
                XCTAssertEqual(e, .server("integer overflow"))
            }
        }
    }

    /// Byte for byte what Go's net/rpc/jsonrpc writes: id echoed as sent, fields in Go's order.
    /// The calls of one connection run at once, so their replies come in the order they finish.
    func testWireFormatIsGos() throws {
        for model in ConnectionModel.allCases {
            let (server, port) = try startServer(model)
            defer { server.stop() }
            let requests = """
                {"method":"KV.Put","params":[{"Key":"k","Value":"v"}],"id":0}
                {"method":"KV.Foo","params":[{}],"id":2}
                  {"method":"Foo.Bar","params":[{}],"id":3}{"method":"Arith.Divide","params":[{"A":1,"B":0}],"id":4}
                {"method":"Nodot","params":[{}],"id":5}
                """
            let (reply, _) = try exchange(port, requests, wait: .milliseconds(500))
            XCTAssertEqual(reply.split(separator: "\n").map(String.init).sorted(), [
                #"{"id":0,"result":{"Err":"OK"},"error":null}"#,
                #"{"id":2,"result":null,"error":"rpc: can't find method KV.Foo"}"#,
                #"{"id":3,"result":null,"error":"rpc: can't find service Foo.Bar"}"#,
                #"{"id":4,"result":null,"error":"divide by zero"}"#,
                #"{"id":5,"result":null,"error":"rpc: service/method request ill-formed: Nodot"}"#,
            ], "\(model) model")
            let (get, _) = try exchange(port, #"{"method":"KV.Get","params":[{"Key":"k"}],"id":"x-1"}"#, wait: .milliseconds(300))
            XCTAssertEqual(get, #"{"id":"x-1","result":{"Err":"OK","Value":"v"},"error":null}"# + "\n", "\(model) model")
        }
    }

    /// Bad requests get an error reply, with their id where it could be read; the connection
    /// stays open unless the stream itself is broken; everyone else is served throughout.
    func testBadRequestsAreAnsweredAndOnlyTheirConnectionSuffers() throws {
        for model in ConnectionModel.allCases {
            let (server, port) = try startServer(model)
            defer { server.stop() }
            let stays: [(String, String)] = [
                (#"{"method":"KV.Get","params":{"Key":"k"},"id":1}"#, #""id":1,"result":null,"error":"jsonrpc: params must be an array""#),
                (#"{"method":"KV.Get","params":[{"Key":5}],"id":1}"#, #""error":"rpc: cannot decode arguments of KV.Get: expected String at Key""#),
                (#"{"method":"Arith.Multiply","params":[{"A":"9","B":2}],"id":1}"#, #""error":"rpc: cannot decode arguments of Arith.Multiply: expected Int at A""#),
                (#"{"method":"Arith.Multiply","params":[{"A":1.5,"B":2}],"id":1}"#, #""error":"rpc: cannot decode arguments of Arith.Multiply: expected Int at A""#),
                (#"{"method":5,"params":[{}],"id":1}"#, #""id":1,"result":null,"error":"rpc: the method must be a string""#),
                (#"[1,2,3]"#, #""error":"rpc: a request must be a JSON object""#),
                (#"{"method": KV.Get, "id": 7}"#, #"{"id":7,"result":null,"error":"rpc: malformed JSON in request"}"#),
                // A broken escape must not swallow the quote after it, and the framing with it.
                (#"{"method":"KV.Get","params":[{"Key":"\u12"}],"id":7}"#, #"{"id":7,"result":null,"error":"rpc: malformed JSON in request"}"#),
                (#"{"method":"KV.Get","params":[{"Key":"\x"}],"id":01}"#, #"{"id":null,"result":null,"error":"rpc: malformed JSON in request"}"#),
                (#"{"method":"KV.Put","params":[{"Key":"k","Value":""# + String(repeating: "x", count: 1 << 20 + 10) + #""}],"id":8}"#,
                 #"{"id":8,"result":null,"error":"rpc: request larger than 1048576 bytes"}"#),
            ]
            for (request, error) in stays {
                let (reply, closed) = try exchange(port, request + #"{"method":"KV.Get","params":[{"Key":"k"}],"id":"next"}"#,
                                                   until: { $0.contains(#"{"id":"next","#) && $0.hasSuffix("\n") })
                XCTAssertTrue(reply.contains(error), "\(model) model: \(request.prefix(60)) -> \(reply.prefix(200))")
                XCTAssertTrue(reply.contains(#"{"id":"next","#), "\(model) model: \(request.prefix(60)) must leave the connection serving: \(reply.prefix(200))")
                XCTAssertFalse(closed, "\(model) model: \(request.prefix(60)) must not close the connection")
            }
            let closes: [(String, String)] = [
                (#"{"method":"KV.Get","params":[{"Key":"k"}],"id":1"# + "}}", "rpc: a request must be a JSON object"),
                ("42", "rpc: a request must be a JSON object"),
            ]
            for (request, error) in closes {
                let (reply, closed) = try exchange(port, request)
                XCTAssertTrue(reply.contains("\"error\":\"\(error)\""), "\(model) model: \(request.prefix(60)) -> \(reply)")
                XCTAssertTrue(closed, "\(model) model: \(request.prefix(60)) must close its connection")
            }
            // A client that sends half a request and vanishes, and one that never sends a byte.
            let half = try TCPConnection.connect(host: "127.0.0.1", port: port)
            try half.write(Array(#"{"method":"KV.Get","par"#.utf8))
            half.close()
            let silent = try TCPConnection.connect(host: "127.0.0.1", port: port)
            defer { silent.close() }
            let (reply, _) = try exchange(port, #"{"method":"KV.Get","params":[{"Key":"k"}],"id":9}"#, wait: .milliseconds(300))
            XCTAssertTrue(reply.hasPrefix(#"{"id":9,"#), "\(model) model: the server still serves everyone else: \(reply)")
        }
    }

    func testFiveHundredConnectionsAtOnce() throws {
        for model in ConnectionModel.allCases { try fiveHundredConnectionsAtOnce(model) }
    }

    func fiveHundredConnectionsAtOnce(_ model: ConnectionModel) throws {
        let (server, port) = try startServer(model)
        defer { server.stop() }
        let conns = try (0..<500).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: port) }
        for (i, c) in conns.enumerated() {
            try c.write(Array(#"{"method":"Arith.Multiply","params":[{"A":\#(i),"B":2}],"id":\#(i)}"#.utf8))
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        for (i, c) in conns.enumerated() {
            c.setReadTimeout(.seconds(10))
            let n = try c.read(into: &buffer)
            XCTAssertEqual(String(decoding: buffer[0..<n], as: UTF8.self),
                           #"{"id":\#(i),"result":{"Pro":\#(2 * i),"Quo":0,"Rem":0},"error":null}"# + "\n")
            c.close()
        }
    }

    func testCallsOnADeadOrSilentServerFailInsteadOfHanging() throws {
        // Nothing listens on a port we just freed.
        let l = try TCPListener()
        let deadPort = l.port
        l.close()
        XCTAssertThrowsError(try RPCClient(host: "127.0.0.1", port: deadPort)) { error in
            XCTAssertTrue("\(error)".hasPrefix("connection lost: connect to 127.0.0.1:\(deadPort)"), "\(error)")
        }
        // A server that accepts and then never answers: the call times out.
        let silent = try TCPListener()
        silent.serve { conn in
            var b = [UInt8](repeating: 0, count: 1024)
            while (try? conn.read(into: &b)).map({ $0 > 0 }) ?? false {}
        }
        defer { silent.close() }
        let timedOut = try withWatchdog(10, "call to a silent server") { () -> String in
            let c = try RPCClient(host: "127.0.0.1", port: silent.port)
            do {
                let _: GetReply = try await c.call("KV.Get", GetArgs(key: "k"), timeout: .milliseconds(200))
                return "answered"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(timedOut, "KV.Get: no reply within 200.0ms")
        // A server that vanishes while calls are waiting: they fail at once with the reason.
        let (server, port) = try startServer()
        let lost = try withWatchdog(10, "call to a server that goes away") { () -> String in
            let c = try RPCClient(host: "127.0.0.1", port: port)
            let _: PutReply = try await c.call("KV.Put", PutArgs(key: "k", value: "v"))
            server.stop()
            c.close()
            do {
                let _: GetReply = try await c.call("KV.Get", GetArgs(key: "k"))
                return "answered"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(lost.hasPrefix("connection lost:"), lost)
    }

    /// With two event loops, the tasks model deals its connections out to both in turn: each
    /// connection's calls run on one poller's thread, and both pollers serve.
    func testTheTasksModelDealsConnectionsToItsLoops() throws {
        let server = RPCServer()
        let pollers = Poller.group(2)
        server.register("Where.Am") { (_: GetArgs) in
            GetReply(err: .ok, value: pollers[0].isCurrentThread ? "loop 1" : pollers[1].isCurrentThread ? "loop 2" : "elsewhere")
        }
        let port = try server.listen(model: .tasks, loops: 2)
        defer { server.stop() }
        let places = try withWatchdog(20, "calls on four connections to two loops") { () -> [String] in
            var places: [String] = []
            for _ in 0..<4 {
                let c = try RPCClient(host: "127.0.0.1", port: port)
                var seen: Set<String> = []
                for _ in 0..<5 {
                    let r: GetReply = try await c.call("Where.Am", GetArgs(key: ""))
                    seen.insert(r.value)
                }
                places.append(seen.sorted().joined(separator: "+"))
                c.close()
            }
            return places
        }
        XCTAssertEqual(Set(places), ["loop 1", "loop 2"], "each connection on one loop, and both loops used: \(places)")
    }

    /// One poller thread reads every client's replies, keeps the calls' deadlines, and can run the
    /// calling tasks: answers to tasks on its executor, a short deadline set behind a long one,
    /// `close` failing a waiting call, and a server that closes the connection mid-call.
    func testThePollerAnswersTimesOutAndNoticesAServerThatGoes() throws {
        let (server, port) = try startServer()
        defer { server.stop() }
        let values = try withWatchdog(20, "calls from tasks on the poller's executor") { () -> [String] in
            try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<4 {
                    group.addTask(executorPreference: RPCClient.executor) {
                        let c = try RPCClient(host: "127.0.0.1", port: port)
                        for j in 0..<50 {
                            let _: PutReply = try await c.call("KV.Put", PutArgs(key: "p\(i)", value: "\(j)"))
                        }
                        // A timeout of centuries is kept as 31 years, not a crash.
                        let r: GetReply = try await c.call("KV.Get", GetArgs(key: "p\(i)"), timeout: .seconds(Int64.max / 4))
                        // Resumed by the reply on the poller's own thread, not on the cooperative pool.
                        return "\(i)=\(r.value)" + (Poller.shared.isCurrentThread ? " on the poller" : " elsewhere")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.sorted()
            }
        }
        XCTAssertEqual(values, (0..<4).map { "\($0)=49 on the poller" })

        let silent = try TCPListener()
        silent.serve { conn in
            var b = [UInt8](repeating: 0, count: 1024)
            while (try? conn.read(into: &b)).map({ $0 > 0 }) ?? false {}
        }
        defer { silent.close() }
        let (short, waited, long) = try withWatchdog(20, "a short call behind a long one") { () -> (String, Duration, String) in
            let c = try RPCClient(host: "127.0.0.1", port: silent.port)
            let longCall = Task { () -> String in
                do {
                    let _: GetReply = try await c.call("KV.Get", GetArgs(key: "a"), timeout: .seconds(30))
                    return "answered"
                } catch { return "\(error)" }
            }
            try await Task.sleep(for: .milliseconds(100))  // the long call is waiting
            let start = ContinuousClock.now
            var short = "answered"
            do {
                let _: GetReply = try await c.call("KV.Get", GetArgs(key: "b"), timeout: .milliseconds(100))
            } catch { short = "\(error)" }
            let waited = ContinuousClock.now - start
            c.close()
            return (short, waited, await longCall.value)
        }
        XCTAssertEqual(short, "KV.Get: no reply within 100.0ms")
        XCTAssertLessThan(waited, .seconds(10), "the short call must time out at its own deadline, not the long call's")
        XCTAssertEqual(long, "connection lost: closed by the client")

        // A server that reads the request and closes the connection.
        let rude = try TCPListener()
        rude.serve { conn in
            var b = [UInt8](repeating: 0, count: 1024)
            _ = try? conn.read(into: &b)
            conn.close()
        }
        defer { rude.close() }
        let (gone, cpu) = try withWatchdog(10, "a call to a server that closes the connection") { () -> (String, Duration) in
            let c = try RPCClient(host: "127.0.0.1", port: rude.port)
            var gone = "answered"
            do {
                let _: GetReply = try await c.call("KV.Get", GetArgs(key: "k"))
            } catch { gone = "\(error)" }
            // The dead client is kept: its socket stays readable (end of stream) for ever, and
            // the poller must stop watching it, not wake for it again and again.
            let cpu0 = Measure.cpuTime()
            try await Task.sleep(for: .milliseconds(300))
            withExtendedLifetime(c) {}
            return (gone, Measure.cpuTime() - cpu0)
        }
        XCTAssertEqual(gone, "connection lost: the server closed the connection")
        XCTAssertLessThan(cpu, .milliseconds(90), "the poller spun on a closed connection: \(cpu.short) of CPU in 300 ms of waiting")
    }

    /// The blocking client, for code on Threads: answers, server errors, a silent server, a dead one.
    func testBlockingClientOnThreads() throws {
        let (server, port) = try startServer()
        let silent = try TCPListener()
        silent.serve { conn in
            var b = [UInt8](repeating: 0, count: 1024)
            while (try? conn.read(into: &b)).map({ $0 > 0 }) ?? false {}
        }
        defer { silent.close() }
        let outcome = try withWatchdog(20, "blocking client", onThread: { () -> [String] in
            let c = try BlockingRPCClient(host: "127.0.0.1", port: port)
            var out: [String] = []
            let put: PutReply = try c.call("KV.Put", PutArgs(key: "k", value: "v"))
            let get: GetReply = try c.call("KV.Get", GetArgs(key: "k"))
            out += [put.err.rawValue, get.value]
            do {
                let _: ArithResponse = try c.call("Arith.Divide", ArithRequest(a: 1, b: 0))
            } catch { out.append("\(error)") }
            let quiet = try BlockingRPCClient(host: "127.0.0.1", port: silent.port)
            do {
                let _: GetReply = try quiet.call("KV.Get", GetArgs(key: "k"), timeout: .milliseconds(200))
            } catch { out.append("\(error)") }
            server.stop()
            c.close()
            do {
                let _: GetReply = try c.call("KV.Get", GetArgs(key: "k"))
            } catch { out.append(String("\(error)".prefix(16))) }
            return out
        })
        XCTAssertEqual(outcome, ["OK", "v", "divide by zero", "KV.Get: no reply within 200.0ms", "connection lost:"])
    }

    /// A client that is no longer used closes its connection: the reader thread does not keep it.
    func testAClientThatGoesAwayClosesItsConnection() throws {
        let sawEOF = DispatchSemaphore(value: 0)
        let l = try TCPListener()
        l.serve { conn in
            var b = [UInt8](repeating: 0, count: 1024)
            while (try? conn.read(into: &b)).map({ $0 > 0 }) ?? false {}
            sawEOF.signal()
        }
        defer { l.close() }
        do {
            let client = try RPCClient(host: "127.0.0.1", port: l.port)
            _ = client
        }
        XCTAssertEqual(sawEOF.wait(timeout: .now() + 5), .success, "the dropped client's connection was never closed")
    }

    /// The race check of the test below must catch a handler that shares state without a lock.
    func testRaceCheckCatchesAnUnlockedHandler() throws {
        try RaceCheck.requireThreadSanitizer()
        let server = RPCServer()
        let calls = UnlockedCounter()
        server.register("Count.Add") { (_: GetArgs) -> PutReply in
            calls.value += 1  // one thread per connection: eight connections race here
            return PutReply(err: .ok)
        }
        let port = try server.listen()
        defer { server.stop() }
        var races = 0
        for _ in 1...5 where races == 0 {
            races = try RaceCheck.racesDuring {
                try withWatchdog(60, "8 clients calling an unlocked handler") {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<8 {
                            group.addTask {
                                let c = try RPCClient(host: "127.0.0.1", port: port)
                                for _ in 0..<50 { let _: PutReply = try await c.call("Count.Add", GetArgs(key: "")) }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
            }
        }
        XCTAssertGreaterThan(races, 0, "the race check missed a handler with no lock")
    }

    /// Eight clients append to one key at once: every append lands exactly once, and (in the
    /// ThreadSanitizer pass) nothing races.
    func testConcurrentClientsLoseNoUpdates() throws {
        for model in ConnectionModel.allCases { try concurrentClientsLoseNoUpdates(model) }
    }

    func concurrentClientsLoseNoUpdates(_ model: ConnectionModel) throws {
        let (server, port) = try startServer(model)
        defer { server.stop() }
        let final = try withWatchdog(60, "8 clients appending, \(model) model") { () -> String in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        let c = try RPCClient(host: "127.0.0.1", port: port)
                        for _ in 0..<100 {
                            let _: AppendReply = try await c.call("KV.Append", AppendArgs(key: "log", value: String(client)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let c = try RPCClient(host: "127.0.0.1", port: port)
            let r: GetReply = try await c.call("KV.Get", GetArgs(key: "log"))
            return r.value
        }
        XCTAssertEqual(final.count, 800, "\(model) model")
        for client in 0..<8 { XCTAssertEqual(final.filter { $0 == Character(String(client)) }.count, 100, "\(model) model, client \(client)") }
    }
}

/// The servers as programs, called as the seed's PHP client calls them: raw JSON on a socket.
final class RPCProgramTests: LabTestCase {
    /// Seed 004's PHP client itself (Tests/GoPeers/lecture/php), against arith-server as it starts.
    func testTheSeedsPHPClientCallsArithServer() throws {
        guard let php = ["/usr/bin/php", "/usr/local/bin/php"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("skipped: PHP is not installed (Debian: apt-get install php-cli); this runs the lecture's PHP client")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("GoPeers/lecture/php/jsonrpc.php")
        for model in ConnectionModel.allCases {
            let (arith, port) = try Programs.launchServer("arith-server", ["--model", model.rawValue])
            defer { arith.terminate() }
            let r = try Subprocess.run(URL(fileURLWithPath: php), [script.path, "\(port)"], timeout: .seconds(30))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, "9 * 2 = 18\n9 / 2, Quo is 4, Rem is 1\n", "\(model) model")
        }
    }

    func testPythonClientCallsTheServersOverARawSocket() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/python3") else {
            throw XCTSkip("skipped: python3 is not installed; the cross-language check needs it")
        }
        let (kv, kvPort) = try Programs.launchServer("kv-server")
        defer { kv.terminate() }
        let (arith, arithPort) = try Programs.launchServer("arith-server")
        defer { arith.terminate() }
        let script = """
            import json, socket
            def call(port, method, params):
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                s.sendall((json.dumps({"method": method, "params": [params], "id": 0}) + "\\n").encode())
                line = s.makefile().readline()
                s.close()
                return json.loads(line)
            print(call(\(kvPort), "KV.Put", {"Key": "subject", "Value": "6.5840"}))
            print(call(\(kvPort), "KV.Get", {"Key": "subject"}))
            r = call(\(arithPort), "Arith.Multiply", {"A": 9, "B": 2}); print("%d * %d = %d" % (9, 2, r["result"]["Pro"]))
            r = call(\(arithPort), "Arith.Divide", {"A": 9, "B": 2}); print("9 / 2, Quo is %d, Rem is %d" % (r["result"]["Quo"], r["result"]["Rem"]))
            print(call(\(arithPort), "Arith.Divide", {"A": 9, "B": 0}))
            """
        let r = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").map(String.init), [
            "{'id': 0, 'result': {'Err': 'OK'}, 'error': None}",
            "{'id': 0, 'result': {'Err': 'OK', 'Value': '6.5840'}, 'error': None}",
            "9 * 2 = 18",
            "9 / 2, Quo is 4, Rem is 1",
            "{'id': 0, 'result': None, 'error': 'divide by zero'}",
        ])
    }

    /// Go's own net/rpc/jsonrpc: a Go client calls our servers, our client calls a Go server.
    /// (Tests/GoPeers; skipped where Go is not installed.)
    func testGoClientCallsOurServersAndOurClientCallsAGoServer() throws {
        let binary = try Programs.buildGoPeers()

        for model in ConnectionModel.allCases {
            let (kv, kvPort) = try Programs.launchServer("kv-server", ["--model", model.rawValue])
            defer { kv.terminate() }
            let (arith, arithPort) = try Programs.launchServer("arith-server", ["--model", model.rawValue])
            defer { arith.terminate() }
            _ = try exchange(kvPort, HostilePeerTests.deep, wait: .milliseconds(300))  // refused; the server must stay up for Go's client
            let r = try Subprocess.run(binary, ["client", "-kv", "127.0.0.1:\(kvPort)", "-arith", "127.0.0.1:\(arithPort)"], timeout: .seconds(30))
            XCTAssertFalse(r.timedOut, "the Go client ran over 30 s")
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout.split(separator: "\n").map(String.init), [
                "Put: OK <nil>", "Get: OK 6.5840 <nil>", "Put 2 MB: rpc: request larger than 1048576 bytes",
                "Append: OK 6.5840 <nil>", "Foo: rpc: can't find method KV.Foo",
                "Multiply: 18 <nil>", "Divide: 4 1 <nil>", "Divide by zero: divide by zero",
            ], "\(model) model")
        }

        let (server, goPort) = try Subprocess.startServer(binary, ["server"])
        defer { server.terminate() }
        let replies = try withWatchdog(20, "our client calling a Go server") { () -> [String] in
            let c = try RPCClient(host: "127.0.0.1", port: goPort)
            let put: PutReply = try await c.call("KV.Put", PutArgs(key: "k", value: "v"))
            let get: GetReply = try await c.call("KV.Get", GetArgs(key: "k"))
            let missing: GetReply = try await c.call("KV.Get", GetArgs(key: "none"))
            let m: ArithResponse = try await c.call("Arith.Multiply", ArithRequest(a: 9, b: 2))
            var errors: [String] = []
            for (method, args) in [("Arith.Divide", ArithRequest(a: 9, b: 0)), ("Arith.Foo", ArithRequest(a: 1, b: 1))] {
                do {
                    let _: ArithResponse = try await c.call(method, args)
                } catch { errors.append("\(error)") }
            }
            return ["\(put.err.rawValue)", "\(get.err.rawValue) \(get.value)", missing.err.rawValue, "\(m.pro)"] + errors
        }
        XCTAssertEqual(replies, ["OK", "OK v", "ErrNoKey", "18", "divide by zero", "rpc: can't find method Arith.Foo"])
        // The requests that bend the convention get the same bytes from Go's server as recorded.
        _ = try exchange(goPort, #"{"method":"KV.Put","params":[{"Key":"k","Value":"v"}],"id":0}"#, wait: .milliseconds(200))
        for (request, answer) in goLeniency {
            let (reply, _) = try exchange(goPort, request, wait: .milliseconds(200))
            XCTAssertEqual(reply, answer + "\n", "Go's own answer to \(request)")
            if request.contains("KV.Put") { _ = try exchange(goPort, #"{"method":"KV.Put","params":[{"Key":"k","Value":"v"}],"id":0}"#, wait: .milliseconds(200)) }
        }
        let blocking = try withWatchdog(20, "the blocking client calling a Go server", onThread: { () -> [String] in
            let c = try BlockingRPCClient(host: "127.0.0.1", port: goPort)
            let get: GetReply = try c.call("KV.Get", GetArgs(key: "k"))
            let m: ArithResponse = try c.call("Arith.Multiply", ArithRequest(a: 6, b: 7))
            return [get.value, "\(m.pro)"]
        })
        XCTAssertEqual(blocking, ["v", "42"])
    }

    func testClientsPrintAsTheLecturesPrograms() throws {
        let (kv, kvPort) = try Programs.launchServer("kv-server")
        defer { kv.terminate() }
        let server = "127.0.0.1:\(kvPort)"
        XCTAssertEqual(try Programs.run("kv-client", ["--server", server, "put", "subject", "6.5840"]).stdout, "Put(subject, 6.5840) -> OK\n")
        XCTAssertEqual(try Programs.run("kv-client", ["--server", server, "get", "subject"]).stdout, "Get(subject) -> OK 6.5840\n")
        XCTAssertEqual(try Programs.run("kv-client", ["--server", server, "append", "subject", "+"]).stdout, "Append(subject, +) -> OK, old value 6.5840\n")
        XCTAssertEqual(try Programs.run("kv-client", ["--server", server, "get", "nothing"]).stdout, "Get(nothing) -> ErrNoKey \n")
        let (arith, arithPort) = try Programs.launchServer("arith-server")
        defer { arith.terminate() }
        let a = try Programs.run("arith-client", ["--server", "127.0.0.1:\(arithPort)"])
        XCTAssertEqual(a.stdout, "9 * 2 = 18\n9 / 2, quo is 4, rem is 1\n")
        let z = try Programs.run("arith-client", ["--server", "127.0.0.1:\(arithPort)", "--b", "0"])
        XCTAssertEqual(z.stdout, "9 * 0 = 0\narith error: divide by zero\n")
        XCTAssertEqual(z.status, 1)
    }

    func testBadInput() throws {
        for name in ["kv-server", "arith-server"] {
            try Programs.assertUsageError(name, ["--listen", "nowhere"], says: "--listen must be HOST:PORT, such as 127.0.0.1:1234, not 'nowhere'")
            try Programs.assertUsageError(name, ["--listen", "127.0.0.1:99999"], says: "--listen must be HOST:PORT")
            try Programs.assertUsageError(name, ["--model", "fibers"], says: "--model must be one of threads, tasks, not 'fibers'")
        }
        try Programs.assertUsageError("kv-client", ["get"], says: "get takes 1 argument")
        try Programs.assertUsageError("kv-client", ["delete", "k"], says: "say put KEY VALUE, get KEY or append KEY VALUE")
        for name in ["kv-server", "kv-client", "arith-server", "arith-client"] {
            let r = try Programs.run(name, ["--help"])
            XCTAssertEqual(r.status, 0, name)
            XCTAssertTrue(r.stdout.contains("USAGE: \(name) [options]"), name)
        }
    }
}
