import Dispatch
import Foundation
import PrescientCore
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
    ]
    let discussion = """
    Endpoints: POST /v1/events (JSON Lines or a JSON array; ?partial=true applies the good records
    of a batch with bad ones), GET /v1/profiles/{user}, /v1/segments, /v1/forecast?region=&resource=
    &horizon=, /v1/plan, /v1/route?user=, /metrics, /healthz, /readyz, and / (the dashboard).
    Writes need 'Authorization: Bearer TOKEN', the token from $PRESCIENT_TOKEN (serve.token_env) or
    serve.token; with neither, writes are refused. serve.protect_reads guards the reads too.
    Every scaling.interval the control loop forecasts each region × resource, plans and actuates
    on the simulated cloud; /v1/plan and the dashboard show what it did and why.
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
        let store = try CommonOptions.openStore(storePath)
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
        let ingestor = EventIngestor(sink: sink, decoder: decoder, metrics: metrics,
                                     limits: .init(maxBatch: config.serve.maxBatch, queue: config.serve.queue), observers: [loop.demand],
                                     routes: routes)
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

        // The control loop on its own thread, ticking every interval until told to stop.
        let interval = config.scaling.intervalSeconds
        let loopDone = DispatchSemaphore(value: 0)
        let stopLoop = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            repeat {
                loop.tick(now: SystemClock().now(), monotonic: { monotonicSeconds() })
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
        do { try ingestor.checkpoint() } catch { log.error("final profile checkpoint failed (the event log keeps the batches)", [("error", error.message)]) }
        withExtendedLifetime(signals) {}
        log.info("stopped", [("ticks", "\(loop.snapshot().ticks)")])
        return .success
    }
}
