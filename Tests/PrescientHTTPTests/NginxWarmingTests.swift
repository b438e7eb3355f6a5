import Foundation
import PrescientHTTP
import PrescientRuntime
import PrescientTestKit
import Synchronization
import Testing

/// HTTPCacheWarmer against a real nginx 1.22 (Debian `nginx`) with `proxy_cache` in front of a
/// real origin that counts what it serves: warmed paths are HITs the origin saw once.
@Suite(.serialized) struct NginxWarmingTests {
    final class Origin: HTTPHandler {
        let seen = Mutex<[String: Int]>([:])
        func handle(_ r: HTTPRequest) -> HTTPResponse {
            seen.withLock { $0[r.path, default: 0] += 1 }
            if r.path == "/missing" { return HTTPResponse(status: 404, contentType: "text/plain", text: "no") }
            return HTTPResponse(status: 200, contentType: "text/plain", text: "content of \(r.path)")
        }
        func count(_ path: String) -> Int { seen.withLock { $0[path] ?? 0 } }
    }

    /// A clock that moves only when the warmer pauses.
    final class FakeClock: Sendable {
        let now = Mutex<Double>(100)
        var monotonic: @Sendable () -> Double { { self.now.withLock { $0 } } }
        var pause: @Sendable (Double) -> Void { { s in self.now.withLock { $0 += s } } }
    }

    final class Fixture {
        let dir: String, port: Int
        let origin = Origin()
        let server: MicroHTTPServer
        let nginx: RealServer

        init() throws {
            dir = TestFiles.scratchDirectory("nginx")
            port = RealServer.freePort(offset: 7)
            server = MicroHTTPServer(handler: origin)
            try server.start()
            for d in ["tmp", "cache"] { try FileManager.default.createDirectory(atPath: dir + "/" + d, withIntermediateDirectories: true) }
            let conf = """
            user root;
            worker_processes 1;
            daemon off;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(dir)/tmp/body;
                proxy_temp_path \(dir)/tmp/proxy;
                fastcgi_temp_path \(dir)/tmp/fastcgi;
                uwsgi_temp_path \(dir)/tmp/uwsgi;
                scgi_temp_path \(dir)/tmp/scgi;
                proxy_cache_path \(dir)/cache keys_zone=regional:10m;
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://127.0.0.1:\(server.port);
                        proxy_cache regional;
                        proxy_cache_valid 200 10m;
                        add_header X-Cache-Status $upstream_cache_status always;
                    }
                }
            }
            """
            try conf.write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
            nginx = try RealServer("nginx", executable: "/usr/sbin/nginx", arguments: ["-c", dir + "/nginx.conf", "-p", dir, "-e", dir + "/error.log"],
                                   log: dir + "/nginx.out")
            let port = self.port
            try nginx.waitUntil("listening") { RealServer.accepts(port) }
        }

        var base: String { "http://127.0.0.1:\(port)" }

        /// The X-Cache-Status of a GET through nginx.
        func cacheStatus(_ path: String) throws -> String {
            let out = try RealServer.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-D", "-", "--max-time", "5", base + path]).output
            return out.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-cache-status:") }.map { String($0.split(separator: " ").last!) } ?? "none"
        }

        deinit {
            nginx.stop()
            server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func warmedPathsAreHitsTheOriginSawOnce() throws {
        let f = try Fixture()
        let warmer = try HTTPCacheWarmer(baseURL: f.base)
        let report = warmer.warm(["/a", "/b?x=1", "/c"], ratePerSecond: 200, deadline: monotonicSeconds() + 10)
        #expect(report.fetched == 3 && report.failed.isEmpty && report.skipped == 0)
        #expect(f.origin.count("/a") == 1 && f.origin.count("/c") == 1)
        #expect(try f.cacheStatus("/a") == "HIT" && f.cacheStatus("/b?x=1") == "HIT")
        #expect(f.origin.count("/a") == 1)
        #expect(try f.cacheStatus("/never-warmed") == "MISS")
        // Already warm: counted as such, not fetched again.
        #expect(warmer.warm(["/a"], ratePerSecond: 200, deadline: monotonicSeconds() + 10).alreadyCached == 1)
        #expect(f.origin.count("/a") == 1)
    }

    @Test func failuresAreReportedPerKeyAndNothingStartsPastTheDeadline() throws {
        let f = try Fixture()
        let clock = FakeClock()
        let warmer = try HTTPCacheWarmer(baseURL: f.base, monotonic: clock.monotonic, pause: clock.pause)
        let keys = ["/missing", "no-slash", "/ok"] + (0..<17).map { "/k\($0)" }
        // 10 per second, 0.45 s to the deadline: keys due at +0.0 … +0.4 start, the other 15 do not.
        let report = warmer.warm(keys, ratePerSecond: 10, deadline: 100.45)
        #expect(report.failed.map(\.key) == ["/missing", "no-slash"])
        #expect(report.failed[0].reason == "HTTP 404" && report.failed[1].reason.hasPrefix("not a request path"))
        #expect(report.fetched == 3 && report.skipped == 15)
        #expect(f.origin.count("/k1") == 1 && f.origin.count("/k2") == 0)
        // A cache that is not there: every key fails with the reason, none hangs.
        let gone = try HTTPCacheWarmer(baseURL: "http://127.0.0.1:\(RealServer.freePort(offset: 8))")
        let r = gone.warm(["/a", "/b"], ratePerSecond: 1000, deadline: monotonicSeconds() + 10)
        #expect(r.failed.count == 2 && r.failed[0].reason.contains("connect"))
        #expect(throws: RuntimeError.self) { try HTTPCacheWarmer(baseURL: "https://cache.example/") }
    }
}
