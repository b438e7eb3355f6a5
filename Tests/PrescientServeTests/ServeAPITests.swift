import PrescientCore
import PrescientRuntime
import PrescientServe
import PrescientTestKit
import Synchronization
import Testing

/// The API on the in-memory store, requests built directly (the HTTP server has its own tests).
@Suite struct ServeAPITests {
    static func event(_ user: String, _ minute: Int = 0, ts: String? = nil) -> String {
        #"{"ts":""# + (ts ?? "2026-03-02T10:\(minute < 10 ? "0" : "")\(minute):00Z") + #"","user":""# + user + #"","region":"eu-west","path":"/video/1","duration":60,"id":""# + user + "-\(minute)" + #""}"#
    }

    final class Lines: @unchecked Sendable { let lines = Mutex<[String]>([]) }

    static func api(token: String? = "s3cret", protectReads: Bool = false, queue: Int = 4, maxBatch: Int = 100) -> (ServeAPI, InMemoryProfileStore, MetricsRegistry, Lines) {
        let (api, store, metrics, lines, _) = apiAndIngestor(token: token, protectReads: protectReads, queue: queue, maxBatch: maxBatch)
        return (api, store, metrics, lines)
    }

    static func apiAndIngestor(token: String? = "s3cret", protectReads: Bool = false, queue: Int = 4, maxBatch: Int = 100) -> (ServeAPI, InMemoryProfileStore, MetricsRegistry, Lines, EventIngestor) {
        let store = InMemoryProfileStore()
        let config = PrescientConfig.default
        let sink = ProfileIngestSink(store: store, updater: ProfileUpdater(config: config))
        let metrics = MetricsRegistry()
        let ingestor = EventIngestor(sink: sink, decoder: EventBatchDecoder(parser: JSONLineParser(), normalizer: EventNormalizer(config: config)),
                                     metrics: metrics, limits: .init(maxBatch: maxBatch, queue: queue), routes: RouteIndex(regions: config.regionNames))
        let lines = Lines()
        let log = StructuredLog(format: .logfmt, minimum: .debug, now: { Timestamp(seconds: 0) }, write: { l in lines.lines.withLock { $0.append(l) } })
        let api = ServeAPI(ingestor: ingestor, controller: nil, metrics: metrics, log: log, regions: config.regions, token: token, protectReads: protectReads, monotonic: { 0 })
        api.ready = true
        return (api, store, metrics, lines, ingestor)
    }

    static func post(_ body: String, query: [String: String] = [:], token: String? = "s3cret") -> HTTPRequest {
        HTTPRequest(method: "POST", path: "/v1/events", query: query, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:], body: Array(body.utf8))
    }

    @Test func aGoodBatchIsInTheLogBeforeItIsAcknowledgedAndItsProfilesFollow() throws {
        let (api, store, metrics, _, ingestor) = Self.apiAndIngestor()
        let r = api.handle(Self.post([Self.event("u1", 0), Self.event("u1", 5), Self.event("u2", 1)].joined(separator: "\n")))
        #expect(r.status == 200)
        #expect(r.text == #"{"accepted":3,"duplicates":0,"late":[],"rejected":[]}"#)
        #expect(try store.pending().flatMap(\.events).map(\.user) == ["u1", "u1", "u2"])   // durable before the answer
        try ingestor.checkpoint()
        #expect(try store.profile("u1")?.events == 2 && store.pending().isEmpty)
        let again = api.handle(Self.post(Self.event("u1", 0)))
        #expect(again.text.hasPrefix(#"{"accepted":0,"duplicates":1"#))
        #expect(metrics.value("prescient_events_total", [("outcome", "accepted")]) == 3)
        let profile = api.handle(HTTPRequest(method: "GET", path: "/v1/profiles/u1"))
        #expect(profile.status == 200 && profile.text.hasPrefix(#"{"user":"u1""#))
        #expect(api.handle(HTTPRequest(method: "GET", path: "/v1/profiles/nobody")).status == 404)
    }

    @Test func aBadBatchIsRefusedWholeUnlessPartial() throws {
        let (api, store, metrics, _) = Self.api()
        let body = [Self.event("u1"), #"{"user":"u2"}"#, "not json", Self.event("u3")].joined(separator: "\n")
        let refused = api.handle(Self.post(body))
        #expect(refused.status == 400)
        #expect(refused.text.contains(#"{"line":2,"field":"ts","reason":"missing"}"#))
        #expect(refused.text.contains(#"{"line":3,"#))
        #expect(refused.text.contains("nothing applied"))
        #expect(try store.profileCount() == 0 && store.pending().isEmpty)
        let partial = api.handle(Self.post(body, query: ["partial": "true"]))
        #expect(partial.status == 200 && partial.text.hasPrefix(#"{"accepted":2,"#))
        #expect(try store.pending().flatMap(\.events).map(\.user) == ["u1", "u3"])
        #expect(metrics.value("prescient_events_total", [("outcome", "rejected")]) == 4)
        #expect(metrics.value("prescient_events_rejected_total", [("field", "ts")]) == 2)
    }

    @Test func batchLimitsAndBackPressure() {
        let (small, _, _, _) = Self.api(maxBatch: 2)
        let tooMany = small.handle(Self.post([Self.event("a"), Self.event("b"), Self.event("c")].joined(separator: "\n")))
        #expect(tooMany.status == 400 && tooMany.text.contains("3 records in one batch; the limit is 2"))
        let (full, _, metrics, _) = Self.api(queue: 0)
        let busy = full.handle(Self.post(Self.event("a")))
        #expect(busy.status == 429 && busy.header("Retry-After") == "1")
        #expect(metrics.value("prescient_ingest_queue_full_total") == 1)
    }

    @Test func tokensGuardWritesAndOptionallyReadsAndNeverReachTheLog() {
        let (api, _, metrics, lines) = Self.api(protectReads: true)
        #expect(api.handle(Self.post(Self.event("u1"), token: nil)).status == 401)
        #expect(api.handle(Self.post(Self.event("u1"), token: "s3cre")).status == 403)
        #expect(api.handle(Self.post(Self.event("u1"), token: "s3cret!")).status == 403)
        #expect(api.handle(Self.post(Self.event("u1"))).status == 200)
        #expect(api.handle(HTTPRequest(method: "GET", path: "/metrics")).status == 401)
        #expect(api.handle(HTTPRequest(method: "GET", path: "/metrics", headers: ["Authorization": "Bearer s3cret"])).status == 200)
        #expect(api.handle(HTTPRequest(method: "GET", path: "/healthz")).status == 200)
        #expect(metrics.value("prescient_http_auth_failures_total", [("reason", "wrong")]) == 2)
        #expect(lines.lines.withLock { $0.allSatisfy { !$0.contains("s3cre") } })
        let (open, _, _, _) = Self.api(token: nil)
        #expect(open.handle(Self.post(Self.event("u1"))).status == 503)
        #expect(open.handle(HTTPRequest(method: "GET", path: "/metrics")).status == 200)
    }

    @Test func recoveryReplaysWhatTheLogHolds() throws {
        // A first server acknowledges two batches and dies before a profile checkpoint.
        let (first, store, _, _, _) = Self.apiAndIngestor()
        #expect(first.handle(Self.post(Self.event("u1", 0))).status == 200)
        #expect(first.handle(Self.post(Self.event("u1", 1))).status == 200)
        #expect(try store.profile("u1") == nil && store.pending().count == 2)
        // A second one on the same store replays them before serving.
        let config = PrescientConfig.default
        let sink = ProfileIngestSink(store: store, updater: ProfileUpdater(config: config))
        let again = EventIngestor(sink: sink, decoder: EventBatchDecoder(parser: JSONLineParser(), normalizer: EventNormalizer(config: config)),
                                  metrics: MetricsRegistry())
        #expect(try again.recover(now: { 0 }) == 2)
        #expect(try store.profile("u1")?.events == 2 && store.pending().isEmpty)
    }

    @Test func routesComeFromTheIndexOfCommittedUsers() {
        let (api, _, _, _) = Self.api()
        #expect(api.handle(Self.post(Self.event("u7"))).status == 200)
        let r = api.handle(HTTPRequest(method: "GET", path: "/v1/route", query: ["user": "u7"]))
        #expect(r.status == 200)
        #expect(r.text == #"{"user":"u7","region":"eu-west","reason":"eu-west (where the user is now): eu-west: serves all of its users (no forecast yet)","known_user":true}"#)
        let stranger = api.handle(HTTPRequest(method: "GET", path: "/v1/route", query: ["user": "nobody"]))
        #expect(stranger.text.contains(#""region":"us-east""#) && stranger.text.hasSuffix(#""known_user":false}"#))
        #expect(api.handle(HTTPRequest(method: "GET", path: "/v1/route")).status == 400)
    }

    @Test func methodsPathsAndReadiness() {
        let (api, _, _, _) = Self.api()
        #expect(api.handle(HTTPRequest(method: "GET", path: "/v1/events")).status == 405)
        #expect(api.handle(HTTPRequest(method: "POST", path: "/metrics")).header("Allow") == "GET")
        #expect(api.handle(HTTPRequest(method: "GET", path: "/nope")).status == 404)
        #expect(api.handle(HTTPRequest(method: "GET", path: "/v1/segments")).status == 404)
        api.ready = false
        #expect(api.handle(HTTPRequest(method: "GET", path: "/readyz")).status == 503)
    }
}
