import Foundation
import PrescientCore
import PrescientRuntime

/// Load on a running `prescient serve` from this separate process: `connections` keep-alive
/// connections each POSTing batches of `batch` new events (unique ids, users drawn from `users`,
/// times advancing with the wall clock) back to back, and one connection GETting /v1/route for a
/// random known user every `routeEveryMs` — its latencies give the p99 under that load. Prints
/// the acknowledged event rate each `reportEvery` seconds and the server's resident memory (from
/// /proc/PID) so a long run doubles as the soak.
///
/// The client is a minimal HTTP/1.1 writer/reader over a socket (the load tool, not the product:
/// the server parses HTTP with libmicrohttpd).
enum ServeLoad {
    struct Options {
        var port: UInt16 = 8080
        var token = ""
        var seconds = 30
        var connections = 3
        var batch = 1000
        var users = 100_000
        var routeEveryMs = 5
        var pid: Int32 = 0
        var reportEvery = 10
    }

    final class Counters: @unchecked Sendable {
        let lock = NSLock()
        var events = 0, requests = 0, failures = 0
        var routeLatencies: [Double] = []
        var lastError = ""
    }

    static func run(_ o: Options) {
        let counters = Counters()
        let deadline = monotonicSeconds() + Double(o.seconds)
        let t0 = monotonicSeconds()
        print("serve-load: \(o.connections) connections × batches of \(o.batch) events, \(o.users) users, \(o.seconds) s; route every \(o.routeEveryMs) ms")
        let rss0 = residentMiB(o.pid)
        var threads: [Thread] = []
        for c in 0..<o.connections {
            let t = Thread {
                guard let conn = Connection(port: o.port) else { counters.lock.withLock { counters.failures += 1; counters.lastError = "connect" }; return }
                var rng = SplitMix64(seed: UInt64(c + 1) * 7919)
                var serial = 0
                var body: [UInt8] = []
                body.reserveCapacity(o.batch * 200)
                while monotonicSeconds() < deadline {
                    body.removeAll(keepingCapacity: true)
                    let nowMs = SystemClock().now().milliseconds
                    for _ in 0..<o.batch {
                        serial += 1
                        appendEvent(to: &body, user: Int(rng.next() % UInt64(o.users)), timeMs: nowMs - Int64(rng.next() % 60_000),
                                    id: "c\(c)-\(serial)", pick: Int(rng.next() % 64))
                    }
                    guard let (status, text) = conn.request("POST", "/v1/events", token: o.token, body: body) else {
                        counters.lock.withLock { counters.failures += 1; counters.lastError = "connection lost" }; return
                    }
                    counters.lock.withLock {
                        counters.requests += 1
                        if status == 200 { counters.events += o.batch } else { counters.failures += 1; counters.lastError = "\(status) \(text.prefix(200))" }
                    }
                }
            }
            t.start(); threads.append(t)
        }
        let router = Thread {
            guard let conn = Connection(port: o.port) else { return }
            var rng = SplitMix64(seed: 99)
            while monotonicSeconds() < deadline {
                let user = "load-u\(rng.next() % UInt64(o.users))"
                let t = monotonicSeconds()
                guard let (status, _) = conn.request("GET", "/v1/route?user=\(user)", token: o.token, body: []) else { return }
                let ms = (monotonicSeconds() - t) * 1000
                counters.lock.withLock { if status == 200 { counters.routeLatencies.append(ms) } else { counters.failures += 1 } }
                usleep(UInt32(o.routeEveryMs * 1000))
            }
        }
        router.start()
        var lastEvents = 0, lastT = t0, samples: [(Double, Double)] = []
        while monotonicSeconds() < deadline + 0.5 {
            sleep(UInt32(min(o.reportEvery, max(1, Int(deadline - monotonicSeconds()) + 1))))
            let now = monotonicSeconds()
            let (events, failures, err) = counters.lock.withLock { (counters.events, counters.failures, counters.lastError) }
            let rss = residentMiB(o.pid)
            samples.append((now - t0, rss))
            print("  t=\(Int(now - t0)) s: \(Formatting.rate(Double(events - lastEvents) / (now - lastT))) events/s, server RSS \(Formatting.fixed(rss, 1)) MiB\(failures > 0 ? ", \(failures) failures (last: \(err))" : "")")
            lastEvents = events; lastT = now
            if now >= deadline { break }
        }
        Thread.sleep(forTimeInterval: 0.5)
        let elapsed = min(monotonicSeconds(), deadline) - t0
        let (events, failures, latencies) = counters.lock.withLock { (counters.events, counters.failures, counters.routeLatencies.sorted()) }
        let rate = Double(events) / elapsed
        func q(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print("  ingest through POST /v1/events: \(Formatting.rate(rate)) events/s acknowledged (\(events) events, \(failures) failures) — target ≥ 200k: \(rate >= 200_000 ? "met" : "NOT met")")
        print("  GET /v1/route under that load: \(latencies.count) requests, p50 \(Formatting.fixed(q(0.5), 3)) ms, p99 \(Formatting.fixed(q(0.99), 3)) ms, max \(Formatting.fixed(latencies.last ?? .nan, 3)) ms — target p99 ≤ 2 ms: \(q(0.99) <= 2 ? "met" : "NOT met")")
        if o.pid > 0 {
            let rss1 = residentMiB(o.pid)
            print("  server memory: \(Formatting.fixed(rss0, 1)) MiB before the load, \(Formatting.fixed(samples.first?.1 ?? rss0, 1)) MiB after \(Int(samples.first?.0 ?? 0)) s, \(Formatting.fixed(rss1, 1)) MiB at the end (\(Int(elapsed)) s)")
        }
    }

    static let features = ["/video/watch", "/music/listen", "/news/today", "/search?q=x", "/shop/cart", "/docs/edit", "/game/play", "/api/v1/items"]
    static let regions = ["us-east", "eu-west", "ap-northeast", "ap-southeast"]

    static func appendEvent(to out: inout [UInt8], user: Int, timeMs: Int64, id: String, pick: Int) {
        out.append(contentsOf: #"{"ts":"#.utf8)
        out.append(contentsOf: String(timeMs).utf8)
        out.append(contentsOf: #","user":"load-u"#.utf8)
        out.append(contentsOf: String(user).utf8)
        out.append(contentsOf: #"","region":""#.utf8)
        out.append(contentsOf: regions[user % 4].utf8)
        out.append(contentsOf: #"","path":""#.utf8)
        out.append(contentsOf: features[pick % 8].utf8)
        out.append(contentsOf: #"","duration":"#.utf8)
        out.append(contentsOf: String(30 + pick * 7).utf8)
        out.append(contentsOf: #","id":""#.utf8)
        out.append(contentsOf: id.utf8)
        out.append(contentsOf: "\"}\n".utf8)
    }

    /// Resident memory of process `pid`, MiB (0 when unknown).
    static func residentMiB(_ pid: Int32) -> Double {
        guard pid > 0, let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }

    /// One keep-alive HTTP/1.1 connection to 127.0.0.1.
    final class Connection {
        let fd: Int32
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        init?(port: UInt16) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard ok == 0 else { close(fd); return nil }
        }
        deinit { close(fd) }

        /// Sends a request and reads the whole response; nil when the connection failed.
        func request(_ method: String, _ path: String, token: String, body: [UInt8]) -> (Int, String)? {
            var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
            if method == "POST" { head += "Content-Type: application/x-ndjson\r\nContent-Length: \(body.count)\r\n" }
            head += "\r\n"
            guard sendAll(Array(head.utf8)), body.isEmpty || sendAll(body) else { return nil }
            var received: [UInt8] = []
            var headerEnd: Int?
            var contentLength = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { return nil }
                received.append(contentsOf: buffer[0..<n])
                if headerEnd == nil, let end = Self.find(received, "\r\n\r\n") {
                    headerEnd = end + 4
                    let header = String(decoding: received[0..<end], as: UTF8.self).lowercased()
                    if let r = header.range(of: "content-length: ") {
                        contentLength = Int(header[r.upperBound...].prefix { $0.isNumber }) ?? 0
                    }
                }
                if let h = headerEnd, received.count >= h + contentLength {
                    let statusLine = String(decoding: received.prefix(16), as: UTF8.self)
                    let status = Int(statusLine.dropFirst(9).prefix(3)) ?? 0
                    return (status, String(decoding: received[h..<(h + contentLength)], as: UTF8.self))
                }
            }
        }

        func sendAll(_ bytes: [UInt8]) -> Bool {
            var sent = 0
            while sent < bytes.count {
                let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return false }
                sent += n
            }
            return true
        }

        static func find(_ a: [UInt8], _ pattern: String) -> Int? {
            let p = Array(pattern.utf8)
            guard a.count >= p.count else { return nil }
            for i in 0...(a.count - p.count) where a[i] == p[0] && Array(a[i..<(i + p.count)]) == p { return i }
            return nil
        }
    }
}
