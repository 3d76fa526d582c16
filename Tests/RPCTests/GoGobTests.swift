import Foundation
import LabHarness
import LabKit
import LabNet
import LabRPC
import LabTesting
import XCTest

/// Go's own net/rpc over gob, and over HTTP CONNECT, against the lab's servers: the lecture's
/// programs unchanged, Go's client with the values gob gets wrong most easily, and peers that
/// send what no Go program would. (Tests/GoPeers; the Go parts skip where Go is not installed.)
final class GoGobTests: LabTestCase {
    typealias Inner = GobTests.Inner

    struct Trap: Codable, Equatable {
        var I: Int
        var U: UInt64
        var B: Bool
        var F: Double
        var S: String
        var Bytes: [UInt8]
        var Inner: Inner
        var Items: [Inner]
        var Counts: [String: Int]
        var Tags: [String]
    }

    struct Sleep: Codable, Equatable {
        var Ms: Int
        var Tag: String
    }

    /// A server with the Echo service of `gobclient`, in `model`, speaking `wire`.
    func echoServer(_ wire: WireProtocol, _ model: ConnectionModel) throws -> (RPCServer, Int) {
        let server = RPCServer(wire: wire)
        server.register("Echo.Trap") { (t: Trap) in t }
        server.register("Echo.Fail") { (_: Trap) throws -> Trap in throw RPCServerError("it failed") }
        server.register("Echo.Sleep") { (s: Sleep) async throws -> Sleep in
            try await Task.sleep(for: .milliseconds(s.Ms))
            return s
        }
        return (server, try server.listen(model: model))
    }

    /// The lecture's own programs, verbatim apart from their addresses: seed 000's key/value
    /// program (rpc.Dial, gob) and seed 004's Arith client (rpc.DialHTTP), against kv-server and
    /// arith-server as they start by default (`--protocol auto`) and with the protocol named.
    func testTheLecturesGoProgramsRunUnchanged() throws {
        let kv = try Programs.buildGoPeers("./lecture/kv")
        let arith = try Programs.buildGoPeers("./lecture/arith-http-client")
        for model in ConnectionModel.allCases {
            for (kvWire, arithWire) in [("auto", "auto"), ("gob", "http")] {
                let (kvServer, kvPort) = try Programs.launchServer("kv-server", ["--model", model.rawValue, "--protocol", kvWire])
                defer { kvServer.terminate() }
                let (arithServer, arithPort) = try Programs.launchServer("arith-server", ["--model", model.rawValue, "--protocol", arithWire])
                defer { arithServer.terminate() }
                let k = try Subprocess.run(kv, ["127.0.0.1:\(kvPort)"], timeout: .seconds(30))
                XCTAssertEqual(k.status, 0, k.stderr)
                XCTAssertEqual(k.stdout, "Put(subject, 6.5840) done\nget(subject) -> 6.824\n", "\(model), \(kvWire)")
                let a = try Subprocess.run(arith, ["127.0.0.1:\(arithPort)"], timeout: .seconds(30))
                XCTAssertEqual(a.status, 0, a.stderr)
                XCTAssertEqual(a.stdout, "9 * 2 = 18\n9 / 2, quo is 4, rem is 1\n", "\(model), \(arithWire)")
            }
        }
    }

    /// Go's gob client: zero values, Int.min and UInt64.max, 200-byte strings and 130-element
    /// slices (counts of two bytes), unicode, bytes that are not UTF-8, nested structs, slices of
    /// structs, maps, every error reply, and 16 calls in flight on one connection, answered in the
    /// reverse order of sending.
    func testGoGobClientTraps() throws {
        let client = try Programs.buildGoPeers()
        let expected = [
            "Trap zero: <nil> true",
            "Trap extremes: <nil> true",
            "Trap max: <nil> true",
            "Trap non-UTF-8: rpc: cannot decode arguments of Echo.Trap: a string that is not UTF-8 (Swift's String holds only UTF-8; Go's may hold any bytes)",
            "Trap 2 MB: rpc: request larger than 1048576 bytes",
            "Fail: it failed",
            "Nope.Trap: rpc: can't find service Nope.Trap",
            "Echo.Nope: rpc: can't find method Echo.Nope",
            "NoDot: rpc: service/method request ill-formed: NoDot",
            "In flight: 16 calls, 0 wrong replies, first back: true",
            "After: <nil>",
        ]
        for model in ConnectionModel.allCases {
            for (wire, http) in [(WireProtocol.gob, false), (.http, true), (.auto, false), (.auto, true)] {
                let (server, port) = try echoServer(wire, model)
                defer { server.stop() }
                let r = try Subprocess.run(client, ["gobclient", "-addr", "127.0.0.1:\(port)"] + (http ? ["-http"] : []), timeout: .seconds(60))
                XCTAssertFalse(r.timedOut, "Go's client ran over 60 s")
                XCTAssertEqual(r.stdout.split(separator: "\n").map(String.init), expected, "\(model), \(wire), http: \(http); \(r.stderr)")
            }
        }
    }

    /// What Go's rpc.HandleHTTP answers to requests that are not a CONNECT, the lab answers too.
    func testHTTPRequestsThatAreNotConnect() throws {
        let (server, port) = try echoServer(.auto, .threads)
        defer { server.stop() }
        let isDone: (String) -> Bool = { $0.contains("\r\n\r\n") && ($0.hasSuffix("\n") ) }
        var (reply, closed) = try exchange(port, "GET /_goRPC_ HTTP/1.0\r\n\r\n", until: isDone)
        XCTAssertTrue(reply.hasPrefix("HTTP/1.0 405 Method Not Allowed\r\n"), reply)
        XCTAssertTrue(reply.hasSuffix("\r\n\r\n405 must CONNECT\n"), reply)
        XCTAssertTrue(closed)
        (reply, closed) = try exchange(port, "CONNECT /elsewhere HTTP/1.0\n\n", until: isDone)
        XCTAssertTrue(reply.hasPrefix("HTTP/1.0 404 Not Found\r\n"), reply)
        XCTAssertTrue(closed)
        (reply, _) = try exchange(port, "CONNECT /_goRPC_ HTTP/1.0\n\n", until: { $0.hasSuffix("\n\n") })
        XCTAssertEqual(reply, "HTTP/1.0 200 Connected to Go RPC\n\n")
        // A request sent with the CONNECT, before its answer, is answered too.
        var out = GobOutput()
        var call: [UInt8] = Array("CONNECT /_goRPC_ HTTP/1.0\n\n".utf8)
        try out.write(GoRequestHeader(serviceMethod: "Echo.Sleep", seq: 1), into: &call)
        try out.write(Sleep(Ms: 1, Tag: "sent with the CONNECT"), into: &call)
        let (pipelined, _) = try exchange(port, bytes: call, until: { String(decoding: $0, as: UTF8.self).contains("sent with the CONNECT") })
        XCTAssertTrue(String(decoding: pipelined, as: UTF8.self).contains("sent with the CONNECT"))
        // A head that never ends is cut off at 8 KiB, not kept for ever.
        (reply, closed) = try exchange(port, "CONNECT /_goRPC_ HTTP/1.0\r\n" + String(repeating: "X-Pad: y\r\n", count: 1000), until: isDone)
        XCTAssertTrue(reply.hasPrefix("HTTP/1.0 431"), reply)
        XCTAssertTrue(closed)
        // JSON still works on the same port.
        (reply, _) = try exchange(port, #"{"method":"Echo.Nope","params":[{}],"id":7}"#, until: { $0.hasSuffix("\n") })
        XCTAssertEqual(reply, #"{"id":7,"result":null,"error":"rpc: can't find method Echo.Nope"}"# + "\n")
    }

    /// Streams no Go client would send: each ends the connection or earns an error reply, the
    /// server stays up, and the next client is served.
    func testHostileGobPeers() throws {
        for model in ConnectionModel.allCases {
            let (server, port) = try echoServer(.gob, model)
            defer { server.stop() }
            var header = GobOutput()
            var request: [UInt8] = []
            try header.write(GoRequestHeader(serviceMethod: "Echo.Trap", seq: 9), into: &request)
            let hostile: [(String, [UInt8])] = [
                ("a length of 2^30", [0xfc, 0x40, 0x00, 0x00, 0x00] + Array(repeating: 0, count: 64)),
                ("an unsigned value of 9 bytes", [0x0b, 0x04, 0x00, 0xf7, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
                ("a header, then a body of an undefined type", request + [0x03, 0xff, 0xfe, 0x00]),
                ("a header, then a truncated body", request + [0x20, 0x01]),
                ("noise", Array("\u{1}\u{2}garbage that is no gob at all".utf8)),
            ]
            for (what, bytes) in hostile {
                let (reply, closed) = try exchange(port, bytes: bytes, wait: .milliseconds(500))
                XCTAssertTrue(closed || reply.isEmpty, "\(model): \(what): the connection stays open with \(reply.count) bytes back")
                if what.contains("undefined type") {
                    XCTAssertTrue(String(decoding: reply, as: UTF8.self).contains("gob: value of undefined type"), "\(model): \(what)")
                }
            }
            // A body of the wrong type is answered, and the connection goes on.
            var out = GobOutput()
            var bytes: [UInt8] = []
            try out.write(GoRequestHeader(serviceMethod: "Echo.Trap", seq: 1), into: &bytes)
            try out.write("not a Trap", into: &bytes)
            try out.write(GoRequestHeader(serviceMethod: "Echo.Sleep", seq: 2), into: &bytes)
            try out.write(Sleep(Ms: 1, Tag: "still here"), into: &bytes)
            let (reply, _) = try exchange(port, bytes: bytes, until: { String(decoding: $0, as: UTF8.self).contains("still here") })
            let text = String(decoding: reply, as: UTF8.self)
            XCTAssertTrue(text.contains("rpc: cannot decode arguments of Echo.Trap"), "\(model): \(text)")
            XCTAssertTrue(text.contains("still here"), "\(model): \(text)")
        }
    }

    /// Starts Go's own net/rpc server (`rpc.ServeConn` for gob, `rpc.HandleHTTP` for http) and
    /// returns it with its port.
    func goServer(_ binary: URL, _ wire: WireProtocol) throws -> (Process, Int) {
        try Subprocess.startServer(binary, ["server", "-protocol", wire.rawValue])
    }

    static let traps: [Trap] = [
        Trap(I: 0, U: 0, B: false, F: 0, S: "", Bytes: [], Inner: Inner(Name: "", N: 0), Items: [], Counts: [:], Tags: []),
        Trap(I: .min, U: .max, B: true, F: -0.5, S: String(repeating: "x", count: 200), Bytes: Array(repeating: 0xff, count: 300),
             Inner: Inner(Name: "ü", N: -1), Items: (0..<130).map { Inner(Name: "item\($0)", N: $0 - 65) },
             Counts: ["a": 1, "": 0, "日本": .max], Tags: ["", "日本", "🙂"]),
        Trap(I: .max, U: 127, B: false, F: .infinity, S: "€", Bytes: [0], Inner: Inner(Name: "", N: 128), Items: [Inner(Name: "", N: 0)],
             Counts: ["z": 0], Tags: [""]),
    ]

    /// The lab's clients against Go's own gob and HTTP servers: the lecture's calls, Go's error
    /// strings, the trap values both ways, and 16 calls in flight answered in reverse order.
    func testOurClientsCallGoServers() throws {
        let binary = try Programs.buildGoPeers()
        for wire in [WireProtocol.gob, .http] {
            let (server, port) = try goServer(binary, wire)
            defer { server.terminate() }
            let results = try withWatchdog(30, "our \(wire) client calling Go's server") { () -> [String] in
                let c = try RPCClient(host: "127.0.0.1", port: port, wire: wire)
                defer { c.close() }
                var out: [String] = []
                let put: PutReply = try await c.call("KV.Put", PutArgs(key: "k", value: "v"))
                let get: GetReply = try await c.call("KV.Get", GetArgs(key: "k"))
                let missing: GetReply = try await c.call("KV.Get", GetArgs(key: "none"))
                let m: ArithResponse = try await c.call("Arith.Multiply", ArithRequest(a: 9, b: 2))
                out += [put.err.rawValue, "\(get.err.rawValue) \(get.value)", missing.err.rawValue, "\(m.pro)"]
                for (method, args) in [("Arith.Divide", ArithRequest(a: 9, b: 0)), ("Arith.Foo", ArithRequest(a: 1, b: 1)), ("Nope.Foo", ArithRequest(a: 1, b: 1))] {
                    do {
                        let _: ArithResponse = try await c.call(method, args)
                    } catch { out.append("\(error)") }
                }
                for trap in Self.traps {
                    let back: Trap = try await c.call("Echo.Trap", trap)
                    out.append(back == trap ? "echoed" : "changed: \(back)")
                }
                do {
                    let _: Trap = try await c.call("Echo.Fail", Self.traps[0])
                } catch { out.append("\(error)") }
                let replies = try await withThrowingTaskGroup(of: (Sleep, Sleep).self) { group in
                    for i in 0..<16 {
                        let args = Sleep(Ms: (16 - i) * 15, Tag: "call\(i)")
                        group.addTask { (args, try await c.call("Echo.Sleep", args)) }
                    }
                    var order: [String] = []
                    for try await (sent, got) in group where sent == got { order.append(sent.Tag) }
                    return order
                }
                out.append("\(replies.count) of 16 in flight answered right, call0 last: \(replies.last == "call0")")
                return out
            }
            XCTAssertEqual(results, [
                "OK", "OK v", "ErrNoKey", "18", "divide by zero", "rpc: can't find method Arith.Foo", "rpc: can't find service Nope.Foo",
                "echoed", "echoed", "echoed", "it failed", "16 of 16 in flight answered right, call0 last: true",
            ], "\(wire)")
            // The blocking client, one call at a time.
            let b = try BlockingRPCClient(host: "127.0.0.1", port: port, wire: wire)
            let back: Trap = try b.call("Echo.Trap", Self.traps[1])
            XCTAssertEqual(back, Self.traps[1])
            XCTAssertThrowsError(try b.call("Echo.Fail", Self.traps[0]) as Trap) { XCTAssertEqual("\($0)", "it failed") }
            b.close()
        }
    }

    /// The lab's client programs against the lecture's Go servers: seed 004's rpc.HandleHTTP
    /// server, verbatim apart from its address, and Go's gob server.
    func testOurClientProgramsCallTheLecturesGoServers() throws {
        let arith = try Programs.buildGoPeers("./lecture/arith-http-server")
        let server = Process()
        server.executableURL = arith
        let out = Pipe()
        server.standardOutput = out
        try server.run()
        defer { server.terminate() }
        let reader = out.fileHandleForReading
        let line = try withWatchdog(20, "the lecture's Arith server printing its address", onThread: { () -> String in
            var line = ""
            while !line.hasSuffix("\n") {  // the lecture's server prints it in two writes
                let more = reader.availableData
                guard !more.isEmpty else { break }
                line += String(decoding: more, as: UTF8.self)
            }
            return line
        })
        XCTAssertTrue(line.hasPrefix("start connection on 127.0.0.1:"), line)
        let port = try XCTUnwrap(Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespacesAndNewlines)))
        let r = try Programs.run("arith-client", ["--server", "127.0.0.1:\(port)", "--protocol", "http"])
        XCTAssertEqual(r.stdout, "9 * 2 = 18\n9 / 2, quo is 4, rem is 1\n", r.stderr)
        let zero = try Programs.run("arith-client", ["--server", "127.0.0.1:\(port)", "--protocol", "http", "--b", "0"])
        XCTAssertEqual(zero.stdout, "9 * 0 = 0\narith error: divide by zero\n", zero.stderr)

        let peers = try Programs.buildGoPeers()
        let (gob, gobPort) = try goServer(peers, .gob)
        defer { gob.terminate() }
        let put = try Programs.run("kv-client", ["--server", "127.0.0.1:\(gobPort)", "--protocol", "gob", "put", "subject", "6.5840"])
        XCTAssertEqual(put.stdout, "Put(subject, 6.5840) -> OK\n", put.stderr)
        let get = try Programs.run("kv-client", ["--server", "127.0.0.1:\(gobPort)", "--protocol", "gob", "get", "subject"])
        XCTAssertEqual(get.stdout, "Get(subject) -> OK 6.5840\n", get.stderr)
    }

    /// A Swift type whose field names are not the sender's (`key` where Go has `Key`) gets Go's
    /// "no fields matched", not zero values without a word; JSON, which matches names in any
    /// case, takes it.
    func testNoFieldsMatchedIsAnError() throws {
        struct Lower: Codable { var key: String }
        let server = RPCServer(wire: .auto)
        server.register("Lower.Get") { (a: Lower) in GetReply(err: .ok, value: a.key) }
        let port = try server.listen()
        defer { server.stop() }
        let results = try withWatchdog(20, "calls with field names that do not match") { () -> [String] in
            var out: [String] = []
            for wire in [WireProtocol.gob, .jsonrpc] { out.append("\(wire): \(await Self.get("Lower.Get", port, wire))") }
            return out
        }
        XCTAssertEqual(results, [
            "gob: rpc: cannot decode arguments of Lower.Get: type mismatch: no fields matched: the sender's struct GetArgs has Key; Lower has key",
            "jsonrpc: k",
        ])
    }

    /// What `method` called with `GetArgs(key: "k")` over `wire` got: the reply's value (or
    /// `answered`), or the error.
    static func get(_ method: String, _ port: Int, _ wire: WireProtocol, answered: String? = nil) async -> String {
        do {
            let c = try RPCClient(host: "127.0.0.1", port: port, wire: wire)
            defer { c.close() }
            let r: GetReply = try await c.call(method, GetArgs(key: "k"), timeout: .seconds(10))
            return answered ?? r.value
        } catch { return "\(error)" }
    }

    /// A client that speaks another format than the server is told which, not "not a reply" or a
    /// timeout.
    func testAClientOfTheWrongProtocolIsToldWhich() throws {
        let results = try withWatchdog(30, "clients of the wrong protocol") { () -> [String] in
            var out: [String] = []
            for (server, client) in [(WireProtocol.gob, WireProtocol.jsonrpc), (.jsonrpc, .gob), (.jsonrpc, .http)] {
                let s = RPCServer(wire: server)
                s.register("KV.Get") { (a: GetArgs) in GetReply(err: .ok, value: a.key) }
                let port = try s.listen()
                defer { s.stop() }
                out.append("\(client) at \(server): \(await Self.get("KV.Get", port, client, answered: "answered"))")
            }
            return out
        }
        XCTAssertEqual(results, [
            "jsonrpc at gob: connection lost: the server says: rpc: this server speaks net/rpc's gob (rpc.Dial), not JSON-RPC: use --protocol gob, or start it with --protocol jsonrpc or auto",
            "gob at jsonrpc: connection lost: the server answered in JSON-RPC, not gob: use --protocol jsonrpc",
            "http at jsonrpc: connection lost: the server answered the HTTP CONNECT in JSON-RPC: use --protocol jsonrpc",
        ])
    }

    /// `rpc.DialHTTP` accepts Go's status line and nothing else; so does the lab's client.
    func testOurHTTPClientChecksTheStatusLine() throws {
        for (answer, expected) in [
            ("HTTP/1.0 200 OK\n\n", "connection lost: unexpected HTTP response: 200 OK"),
            ("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n", "connection lost: unexpected HTTP response: 405 Method Not Allowed"),
            ("SSH-2.0-OpenSSH\r\n\r\n", "connection lost: unexpected HTTP response: SSH-2.0-OpenSSH"),
        ] {
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            defer { listener.close() }
            listener.serve { conn in
                var buffer = [UInt8](repeating: 0, count: 256)
                _ = try? conn.read(into: &buffer)
                try? conn.write(Array(answer.utf8), deadline: Deadline.after(.seconds(2)))
                Thread.sleep(forTimeInterval: 0.2)
                conn.close()
            }
            XCTAssertThrowsError(try RPCClient(host: "127.0.0.1", port: listener.port, wire: .http)) { XCTAssertEqual("\($0)", expected) }
            XCTAssertThrowsError(try BlockingRPCClient(host: "127.0.0.1", port: listener.port, wire: .http)) { XCTAssertEqual("\($0)", expected) }
        }
    }
}
