import Foundation
import PrescientHTTP
import PrescientRuntime
import Synchronization
import Testing

/// The libmicrohttpd server on loopback, driven by a real client (curl).
@Suite struct MicroHTTPServerTests {
    /// Echoes what it was given; counts what the server refused.
    final class Echo: HTTPHandler {
        let refusals = Mutex<[Int]>([])
        func handle(_ r: HTTPRequest) -> HTTPResponse {
            let query = r.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            return HTTPResponse(status: r.path == "/missing" ? 404 : 200, contentType: "text/plain",
                                text: "\(r.method) \(r.path) ?\(query) token=\(r.header("Authorization") ?? "-") body=\(r.body.count)",
                                headers: [("X-Echo", "yes")])
        }
        func refused(_ r: HTTPRequest, status: Int) { refusals.withLock { $0.append(status) } }
    }

    /// Runs curl; returns the status code, body and response headers.
    static func curl(_ args: [String]) throws -> (status: Int, body: String, headers: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prescient-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let headerFile = dir.appendingPathComponent("h").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-S", "--max-time", "20", "-D", headerFile, "-o", "-", "-w", "\n%{http_code}"] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let cut = text.lastIndex(of: "\n")!
        return (Int(text[text.index(after: cut)...]) ?? -1, String(text[..<cut]), (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? "")
    }

    static func withServer(maxBody: Int = 1 << 20, _ body: (MicroHTTPServer, Echo, String) throws -> Void) throws {
        let echo = Echo()
        var options = MicroHTTPServer.Options()
        options.maxBodyBytes = maxBody
        let server = MicroHTTPServer(handler: echo, options: options)
        try server.start()
        defer { server.stop() }
        #expect(server.port > 0)
        try body(server, echo, "http://127.0.0.1:\(server.port)")
    }

    @Test func answersWithTheHandlersResponseAndSeesQueryHeadersAndBody() throws {
        try Self.withServer { _, _, base in
            let get = try Self.curl(["-H", "Authorization: Bearer abc", "\(base)/v1/route?user=u%201&b=2"])
            #expect(get.status == 200)
            #expect(get.body == "GET /v1/route ?b=2&user=u 1 token=Bearer abc body=0")
            #expect(get.headers.contains("X-Echo: yes"))
            let post = try Self.curl(["--data-binary", String(repeating: "x", count: 100_000), "\(base)/v1/events"])
            #expect(post.status == 200 && post.body.hasSuffix("body=100000"))
            #expect(try Self.curl(["\(base)/missing"]).status == 404)
            #expect(try Self.curl(["\(base)/a%20b"]).body.hasPrefix("GET /a b "))
        }
    }

    @Test func anOversizeBodyIs413WhetherDeclaredOrChunked() throws {
        try Self.withServer(maxBody: 1000) { _, echo, base in
            let declared = try Self.curl(["--data-binary", String(repeating: "x", count: 5000), "\(base)/v1/events"])
            #expect(declared.status == 413 && declared.body.contains("over the limit of 1000"))
            let chunked = try Self.curl(["-H", "Transfer-Encoding: chunked", "--data-binary", String(repeating: "y", count: 5000), "\(base)/v1/events"])
            #expect(chunked.status == 413)
            // Under the limit still passes, on the same server.
            #expect(try Self.curl(["--data-binary", "small", "\(base)/v1/events"]).body.hasSuffix("body=5"))
            #expect(echo.refusals.withLock { $0 } == [413, 413])
        }
    }
}
