import Foundation
import PrescientCore
import PrescientRuntime
import Synchronization

/// The HTTP API of `prescient serve`: routes each request, checks the bearer token, counts and
/// logs it. Everything it serves comes from the ingestor (profiles, the store) and the controller
/// (forecasts, plans, routes); it holds no state of its own but the readiness flag.
///
/// Writes (`POST /v1/events`) need `Authorization: Bearer <token>`; reads too when `protectReads`;
/// `/healthz` and `/readyz` never. Tokens are compared in constant time and never logged.
public final class ServeAPI: HTTPHandler {
    let ingestor: EventIngestor
    let controller: Controller?
    let metrics: MetricsRegistry
    let log: StructuredLog
    let token: [UInt8]?
    let protectReads: Bool
    let monotonic: @Sendable () -> Double
    let regions: [RegionSpec]
    private let isReady = Atomic<Bool>(false)

    public init(ingestor: EventIngestor, controller: Controller?, metrics: MetricsRegistry, log: StructuredLog, regions: [RegionSpec],
                token: String?, protectReads: Bool, monotonic: @escaping @Sendable () -> Double) {
        self.ingestor = ingestor; self.controller = controller; self.metrics = metrics; self.log = log
        self.regions = regions
        self.token = token.map { Array($0.utf8) }; self.protectReads = protectReads; self.monotonic = monotonic
        metrics.declare("prescient_http_requests_total", .counter, help: "HTTP requests by endpoint and status code.")
        metrics.declare("prescient_http_auth_failures_total", .counter, help: "Requests refused for a missing or wrong bearer token.")
    }

    /// Ready: serving and able to accept events (false before start and while draining).
    public var ready: Bool {
        get { isReady.load(ordering: .acquiring) }
        set { isReady.store(newValue, ordering: .releasing) }
    }

    public func refused(_ request: HTTPRequest, status: Int) {
        metrics.add("prescient_http_requests_total", [("endpoint", Self.endpoint(request.path)), ("status", "\(status)")])
        log.warn("request refused", [("method", request.method), ("path", request.path), ("status", "\(status)")])
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let started = monotonic()
        let response = route(request)
        let endpoint = Self.endpoint(request.path)
        metrics.add("prescient_http_requests_total", [("endpoint", endpoint), ("status", "\(response.status)")])
        if endpoint != "/metrics" && endpoint != "/healthz" && endpoint != "/readyz" {
            log.log(response.status >= 500 ? .error : response.status >= 400 ? .warn : .debug, "request",
                    [("method", request.method), ("path", request.path), ("status", "\(response.status)"),
                     ("ms", String(format: "%.2f", (monotonic() - started) * 1000))])
        }
        return response
    }

    /// The endpoint a path counts under (bounded label values: a user id never becomes a label).
    static func endpoint(_ path: String) -> String {
        if path.hasPrefix("/v1/profiles/") { return "/v1/profiles/{user}" }
        let known = ["/", "/healthz", "/readyz", "/metrics", "/v1/events", "/v1/segments", "/v1/forecast", "/v1/plan", "/v1/route"]
        return known.contains(path) ? path : "other"
    }

    func route(_ r: HTTPRequest) -> HTTPResponse {
        switch (r.method, r.path) {
        case ("GET", "/healthz"): return .json(200, #"{"status":"ok"}"#)
        case ("GET", "/readyz"): return ready ? .json(200, #"{"status":"ready"}"#) : .json(503, #"{"status":"not ready"}"#)
        case (_, "/healthz"), (_, "/readyz"), (_, "/metrics"), (_, "/v1/segments"), (_, "/v1/forecast"), (_, "/v1/plan"), (_, "/v1/route"), (_, "/"):
            if r.method != "GET" { return Self.methodNotAllowed("GET") }
        case (_, "/v1/events"):
            if r.method != "POST" { return Self.methodNotAllowed("POST") }
        default: break
        }
        if r.method == "POST" && r.path == "/v1/events" {
            if let refusal = authorise(r, required: true) { return refusal }
            return events(r)
        }
        if let refusal = authorise(r, required: protectReads) { return refusal }
        switch r.path {
        case "/metrics": return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4", text: metrics.render())
        case "/v1/segments": return segments()
        case "/v1/route": return route(user: r.query["user"])
        default:
            if r.path.hasPrefix("/v1/profiles/") && r.method == "GET" { return profile(String(r.path.dropFirst("/v1/profiles/".count))) }
            if let controller, r.method == "GET", let answer = controller.answer(r) { return answer }
            return .json(404, "{\"error\":\"no such endpoint: \(Self.escape(r.method)) \(Self.escape(r.path))\"}")
        }
    }

    /// nil when allowed; else 401 (missing) or 403 (wrong), or 503 when writes need a token and none is configured.
    func authorise(_ r: HTTPRequest, required: Bool) -> HTTPResponse? {
        guard required else { return nil }
        guard let token else {
            return .json(503, #"{"error":"no token configured (serve.token_env or serve.token): writes are refused"}"#)
        }
        guard let header = r.header("Authorization"), header.hasPrefix("Bearer ") else {
            metrics.add("prescient_http_auth_failures_total", [("reason", "missing")])
            return .json(401, #"{"error":"missing bearer token"}"#, headers: [("WWW-Authenticate", "Bearer")])
        }
        guard Self.constantTimeEqual(Array(header.utf8.dropFirst(7)), token) else {
            metrics.add("prescient_http_auth_failures_total", [("reason", "wrong")])
            return .json(403, #"{"error":"wrong bearer token"}"#)
        }
        return nil
    }

    /// Compares every byte of the longer input whatever the first difference: the time taken says
    /// nothing about where a guess went wrong (length differences still count as a difference).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count) | UInt8(truncatingIfNeeded: (a.count ^ b.count) >> 8)
        let n = max(a.count, b.count)
        for i in 0..<n { diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return diff == 0 && a.count == b.count
    }

    func events(_ r: HTTPRequest) -> HTTPResponse {
        ThreadPriority.lowerForBulkWork()
        let partial = r.query["partial"] == "true" || r.query["partial"] == "1"
        let outcome = ingestor.ingest(r.body, partial: partial, now: monotonic)
        var headers: [(String, String)] = []
        if let s = outcome.retryAfterSeconds { headers.append(("Retry-After", "\(s)")) }
        return .json(outcome.status, outcome.json, headers: headers)
    }

    func profile(_ user: String) -> HTTPResponse {
        do {
            let p = try ingestor.profile(user)
            guard let p else { return .json(404, "{\"error\":\"no profile for user \(Self.escape(user))\"}") }
            var out: [UInt8] = []
            ProfileJSON.append(p, to: &out)
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: out)
        } catch {
            metrics.add("prescient_store_errors_total", [("operation", "load")])
            return .json(503, "{\"error\":\"store: \(Self.escape(error.message))\"}")
        }
    }

    /// `GET /v1/route?user=U`: the region to send the user to now, and why. With a complete route
    /// index (`serve` loads it at start) a route never touches the store or waits for ingest; an
    /// incomplete one looks a missing user up once and remembers the answer.
    func route(user: String?) -> HTTPResponse {
        guard let user, !user.isEmpty else { return .json(400, #"{"error":"user is required: /v1/route?user=ID"}"#) }
        var place = ingestor.routes?.lookup(user)
        if place == nil && ingestor.routes?.isComplete == true { place = (nil, nil) }
        if place == nil {
            do {
                let profile = try ingestor.profile(user)
                if let profile {
                    ingestor.routes?.update([profile])
                    place = (profile.currentRegion, profile.usualRegion)
                } else {
                    ingestor.routes?.markUnknown(user)
                }
            } catch {
                metrics.add("prescient_store_errors_total", [("operation", "load")])
                return .json(503, "{\"error\":\"store: \(Self.escape(error.message))\"}")
            }
        }
        let plan = controller?.routingPlan() ?? RoutingPlan(regions: regions)
        let r = plan.route(user: user, here: place?.here, usual: place?.usual)
        var out: [UInt8] = []
        out.append(contentsOf: "{\"user\":".utf8); JSONEscapes.appendQuoted(user, to: &out)
        out.append(contentsOf: ",\"region\":".utf8); JSONEscapes.appendQuoted(r.region, to: &out)
        out.append(contentsOf: ",\"reason\":".utf8); JSONEscapes.appendQuoted(r.reason, to: &out)
        out.append(contentsOf: ",\"known_user\":\(place.map { $0.here != nil || $0.usual != nil } ?? false)}".utf8)
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: out)
    }

    func segments() -> HTTPResponse {
        do {
            let s = try ingestor.withStore { (sink) throws(RuntimeError) in try sink.store.segmentation() }
            guard let s else { return .json(404, #"{"error":"no segmentation yet (run prescient segments, or wait for the control loop)"}"#) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = (try? encoder.encode(s)) ?? Data("{}".utf8)
            return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(data))
        } catch {
            metrics.add("prescient_store_errors_total", [("operation", "segments")])
            return .json(503, "{\"error\":\"store: \(Self.escape(error.message))\"}")
        }
    }

    static func methodNotAllowed(_ allowed: String) -> HTTPResponse {
        .json(405, "{\"error\":\"method not allowed; use \(allowed)\"}", headers: [("Allow", allowed)])
    }

    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        JSONEscapes.appendQuoted(s, to: &out)
        return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
    }
}

/// What the control loop serves: forecasts, plans, routes, the dashboard (`answer` returns nil
/// for a path it does not know).
public protocol Controller: Sendable {
    func answer(_ request: HTTPRequest) -> HTTPResponse?
    /// Where each region's users go for the coming hour (all at home before the first step).
    func routingPlan() -> RoutingPlan
}
