import Dispatch
import Foundation
import PrescientCore
import PrescientDNS
import PrescientEtcd
import PrescientHAProxy
import PrescientHTTP
import PrescientRuntime
import PrescientServe

/// `prescient serve`: the long-running controller — HTTP API, Prometheus metrics, dashboard, and
/// the control loop — until SIGTERM or SIGINT, which drains in-flight requests, stops the loop,
/// closes the store and exits 0.
struct ServeCommand: Command {
    let name = "serve"
    let summary = "run the controller: HTTP API, /metrics, dashboard, control loop on the simulated cloud"
    let arguments = ""
    let options: [OptionSpec] = [
        CommonOptions.config, CommonOptions.store,
        OptionSpec("--listen", value: "HOST:PORT", help: "address to listen on (default: serve.listen, 127.0.0.1:8080; port 0 picks a free one)"),
        OptionSpec("--port-file", value: "FILE", help: "write the port listened on to FILE once ready (for scripts using port 0)"),
        OptionSpec("--geoip-db", value: "PATH", help: "GeoIP country database for client IPs in posted events"),
        OptionSpec("--failure-rate", value: "P", help: "simulated cloud: share of launches that fail (default 0)"),
        OptionSpec("--etcd", value: "URL", help: "lead through etcd's election (http://HOST:PORT): only the leader plans and actuates"),
        OptionSpec("--lease-ttl", value: "S", help: "with --etcd: leadership lease, seconds (default 10); a dead leader is replaced within it"),
        OptionSpec("--instance", value: "NAME", help: "with --etcd: this instance's name (default host-pid)"),
    ]
    let discussion = """
    Endpoints: POST /v1/events (JSON Lines or a JSON array; ?partial=true applies the good records
    of a batch with bad ones), GET /v1/profiles/{user}, /v1/segments, /v1/forecast?region=&resource=
    &horizon=, /v1/plan, /v1/route?user=, /metrics, /healthz, /readyz, and / (the dashboard).
    Writes need 'Authorization: Bearer TOKEN', the token from $PRESCIENT_TOKEN (serve.token_env) or
    serve.token; with neither, writes are refused. serve.protect_reads guards the reads too.
    Every scaling.interval the control loop forecasts each region × resource, plans and actuates
    on the simulated cloud; /v1/plan and the dashboard show what it did and why.
    With integrations configured it also publishes the routing plan after each step: the user →
    backend map and region weights to HAProxy's runtime API (integrations.haproxy), the regions'
    A/AAAA/TXT records to an authoritative DNS server by RFC 2136 + TSIG (integrations.dns, the
    secret from key_secret_env), and warms each region's HTTP cache (integrations.caches,
    integrations.warming) with what its users are likely to ask for. Each failure is logged,
    counted in prescient_actuation_total and retried at the next step.
    With --etcd several instances campaign through etcd's election API (its HTTP/JSON gateway):
    every instance serves the API and ingests, only the leader runs the control loop's steps and
    actuates; when it dies another leads within the lease TTL, and SIGTERM resigns at once.
    """
    let examples = [
        "PRESCIENT_TOKEN=s3cret prescient serve --store sqlite:prescient.db",
        "prescient serve --listen 127.0.0.1:0 --port-file port.txt --config prescient.yaml",
    ]

    func run(_ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        var config = try CommonOptions.loadConfig(args, context)
        if let listen = args.value("--listen") {
            config.serve.listen = listen
            guard config.serve.hostAndPort != nil else { throw UsageError("--listen: '\(listen)' is not HOST:PORT") }
        }
        let failureRate = try args.double("--failure-rate", default: 0, range: 0...1)
        guard let storePath = try CommonOptions.storePath(args, context) else { throw UsageError("--store none: serve needs a store") }
        guard !storePath.hasPrefix("redis://") else { throw UsageError("--store: serve keeps its event log in SQLite; give sqlite:PATH") }
        let store = try CommonOptions.openSQLite(storePath)
        let token = context.environment[config.serve.tokenEnv].flatMap { $0.isEmpty ? nil : $0 } ?? config.serve.token
        let console = context.console
        let log = StructuredLog(format: StructuredLog.Format(rawValue: config.serve.logFormat) ?? .logfmt,
                                minimum: StructuredLog.Level(name: config.serve.logLevel) ?? .info,
                                now: { SystemClock().now() }, write: { console.err($0) })

        let metrics = MetricsRegistry()
        let countries = try CommonOptions.countryLookup(path: args.value("--geoip-db"))
        let decoder = EventBatchDecoder(parser: JSONLineParser(timestamps: TimestampParser()), normalizer: EventNormalizer(config: config, countries: countries))
        let sink = ProfileIngestSink(store: store, updater: ProfileUpdater(config: config, offsets: TimeZoneTable().regionOffsets(config.regions)))
        let loop = ControlLoop(config: config, start: SystemClock().now(), metrics: metrics, log: log, failureRate: failureRate)
        let routes = RouteIndex(regions: config.regionNames)
        let loadStarted = monotonicSeconds()
        try routes.load(from: store)
        log.info("route index loaded", [("users", "\(routes.count)"), ("seconds", Formatting.fixed(monotonicSeconds() - loadStarted, 2))])
        let actuation = try Self.actuation(config, context, index: routes, metrics: metrics, log: log)
        let ingestor = EventIngestor(sink: sink, decoder: decoder, metrics: metrics,
                                     limits: .init(maxBatch: config.serve.maxBatch, queue: config.serve.queue),
                                     observers: [loop.demand] + (actuation.isEmpty ? [] : [actuation.content]), routes: routes)
        let api = ServeAPI(ingestor: ingestor, controller: loop, metrics: metrics, log: log, regions: config.regions,
                           token: token, protectReads: config.serve.protectReads, monotonic: { monotonicSeconds() })
        var options = MicroHTTPServer.Options()
        let (host, port) = config.serve.hostAndPort!
        options.host = host; options.port = port
        options.connections = UInt32(config.serve.connections)
        options.timeoutSeconds = UInt32(config.serve.requestTimeoutSeconds); options.maxBodyBytes = config.serve.maxBodyBytes
        let server = MicroHTTPServer(handler: api, options: options)

        // Signals arrive on a dispatch source, not in a handler: the drain runs as ordinary code.
        signal(SIGTERM, SIG_IGN); signal(SIGINT, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let signals = [SIGTERM, SIGINT].map { sig in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { stop.signal() }
            s.resume()
            return s
        }
        let replayed = try ingestor.recover(now: { monotonicSeconds() })
        if replayed > 0 { log.info("replayed the event log", [("events", "\(replayed)")]) }
        try server.start()
        if let file = args.value("--port-file") { try FileAccess.write("\(server.port)\n", to: file) }
        api.ready = true
        log.info("listening", [("address", "http://\(host):\(server.port)"), ("store", storePath), ("writes", token == nil ? "refused (no token)" : "bearer token")])

        // Leadership: this instance alone, or whoever etcd elects.
        metrics.declare("prescient_leader", .gauge, help: "1 while this instance leads (plans and actuates), else 0.")
        let leadership: any Leadership
        var election: EtcdLeaderElection?
        if let url = args.value("--etcd") {
            let ttl = try args.int("--lease-ttl", default: 10, range: 2...3600)
            let instance = args.value("--instance") ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
            let e = EtcdLeaderElection(client: try EtcdClient(url: url), instance: instance, ttl: ttl, log: log,
                                       onChange: { leads in metrics.set("prescient_leader", [], leads ? 1 : 0) })
            election = e
            leadership = e
            metrics.set("prescient_leader", [], 0)
            Thread.detachNewThread { e.run() }
        } else {
            leadership = SoleLeader()
            metrics.set("prescient_leader", [], 1)
        }

        let elected = election != nil
        // The control loop on its own thread, ticking every interval until told to stop.
        let interval = config.scaling.intervalSeconds
        let loopDone = DispatchSemaphore(value: 0)
        let stopLoop = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            repeat {
                let now = SystemClock().now()
                if leadership.mayAct(now: monotonicSeconds()) {
                    loop.tick(now: now, monotonic: { monotonicSeconds() })
                    if !actuation.isEmpty { actuation.step(plan: loop.routingPlan(), now: now) }
                    if elected { log.info("leader step", [("ticks", "\(loop.snapshot().ticks)")]) }
                }
            } while stopLoop.wait(timeout: .now() + interval) == .timedOut
            loopDone.signal()
        }

        stop.wait()
        log.info("draining: no new connections; finishing requests in flight")
        api.ready = false
        let left = server.drain(timeoutSeconds: config.serve.requestTimeoutSeconds)
        if left > 0 { log.warn("drain timed out; requests cut off", [("requests", "\(left)")]) }
        stopLoop.signal()
        loopDone.wait()
        election?.stop()
        do { try ingestor.checkpoint() } catch { log.error("final profile checkpoint failed (the event log keeps the batches)", [("error", error.message)]) }
        withExtendedLifetime(signals) {}
        withExtendedLifetime(actuation) {}
        log.info("stopped", [("ticks", "\(loop.snapshot().ticks)")])
        return .success
    }

    /// The actuation targets the configuration names (none: an empty `Actuation`).
    static func actuation(_ config: PrescientConfig, _ context: CommandContext, index: RouteIndex, metrics: MetricsRegistry,
                          log: StructuredLog) throws -> Actuation {
        let i = config.integrations
        let routes = i.haproxy.map { h in
            Actuation.Routes(sink: HAProxyRouteSink(runtime: HAProxyRuntime(socketPath: h.socket), mapFile: h.mapFile, weightsBackend: h.weightsBackend),
                             backendPrefix: h.backendPrefix, refreshSeconds: h.refreshSeconds)
        }
        var dns: Actuation.DNS?
        if let d = i.dns {
            let secret = d.keySecretEnv.flatMap { context.environment[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? d.keySecret
            guard let secret else {
                throw RuntimeError(.configuration, "integrations.dns: no TSIG secret (set $\(d.keySecretEnv ?? "the variable named by key_secret_env") or key_secret)")
            }
            guard let key = TSIGKey(name: d.keyName, base64Secret: secret) else {
                throw RuntimeError(.configuration, "integrations.dns: the TSIG secret of key \(d.keyName) is not base64")
            }
            dns = Actuation.DNS(updater: RFC2136Updater(server: d.server, port: d.port, zone: d.zone, key: key),
                                zone: d.zone, addresses: d.addresses, ttl: UInt32(d.ttl))
        }
        var caches: [String: any CacheWarmer] = [:]
        for (region, url) in i.caches { caches[region] = try HTTPCacheWarmer(baseURL: url) }
        if routes != nil || dns != nil || !caches.isEmpty {
            log.info("actuation", [("haproxy", i.haproxy?.socket ?? "off"), ("dns", i.dns.map { "\($0.server):\($0.port) \($0.zone)" } ?? "off"),
                                   ("caches", caches.keys.sorted().joined(separator: ",").isEmpty ? "off" : caches.keys.sorted().joined(separator: ","))])
        }
        return Actuation(routes: routes, dns: dns, caches: caches, warming: i.warming, index: index, metrics: metrics, log: log,
                         monotonic: { monotonicSeconds() })
    }
}
