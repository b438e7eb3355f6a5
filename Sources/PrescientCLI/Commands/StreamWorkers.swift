import Dispatch
import Foundation
import PrescientCore
import PrescientRedis
import PrescientRuntime
import Synchronization

/// `prescient ingest --from redis-stream://…`: N ingest workers (threads) of the consumer group,
/// each with its own connections and profile cache, until SIGTERM/SIGINT or, with --until-idle,
/// until the streams are drained. Prints what each worker did.
enum StreamWorkers {
    static func run(from: String, _ args: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        guard args.positionals.isEmpty else { throw UsageError("--from reads the stream: give no FILE") }
        guard from.hasPrefix("redis-stream://") else { throw UsageError("--from: '\(from)' is not redis-stream://HOST:PORT/NAME") }
        let location = try RedisLocation(from)
        let config = try CommonOptions.loadConfig(args, context)
        guard let storeLocation = try CommonOptions.storePath(args, context) else { throw UsageError("--store none: workers need a store") }
        let workers = try args.int("--workers", default: 1, range: 1...64)
        var options = RedisStreamWorker.Options()
        if args.value("--until-idle") != nil { options.untilIdleSeconds = try args.double("--until-idle", default: 2, range: 0...86_400) }
        let workerOptions = options
        let consumer = args.value("--consumer") ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        // The stream's partitions live in the stream itself: a worker sees how many the producer made.
        let partitions = try discoverPartitions(location)
        let stream = try RedisEventStream(name: location.name, partitions: partitions)
        let console = context.console
        let stop = Atomic<Bool>(false)
        signal(SIGTERM, SIG_IGN); signal(SIGINT, SIG_IGN)
        let signals = [SIGTERM, SIGINT].map { sig in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { stop.store(true, ordering: .releasing) }
            s.resume()
            return s
        }
        let updater = ProfileUpdater(config: config, offsets: TimeZoneTable().regionOffsets(config.regions))
        let results = Mutex<[(String, Result<RedisStreamWorker.Progress, RuntimeError>, [Int])]>([])
        let group = DispatchGroup()
        let started = monotonicSeconds()
        for i in 0..<workers {
            let name = workers == 1 ? consumer : "\(consumer)-\(i + 1)"
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    // One store per worker; each lease change gets a fresh sink (an empty cache) over it.
                    let store = try CommonOptions.openStore(storeLocation)
                    let worker = try RedisStreamWorker(stream: stream, client: location.client(), consumer: name, options: workerOptions,
                                                       makeSink: { ProfileIngestSink(store: store, updater: updater) })
                    worker.report = { console.err("ingest: \($0)\n") }
                    var lastHeld: [Int] = []
                    let progress = try worker.run(shouldStop: {
                        lastHeld = worker.owned.sorted()
                        return stop.load(ordering: .acquiring)
                    })
                    results.withLock { $0.append((name, .success(progress), lastHeld)) }
                } catch {
                    let e = error as? RuntimeError ?? RuntimeError(.io, "\(error)")
                    results.withLock { $0.append((name, .failure(e), [])) }
                }
            }
        }
        group.wait()
        withExtendedLifetime(signals) {}
        let seconds = monotonicSeconds() - started
        var failed = false
        var applied = 0
        var first = Double.infinity, last = -Double.infinity
        for (name, result, held) in results.withLock({ $0 }).sorted(by: { $0.0 < $1.0 }) {
            switch result {
            case .success(let p):
                applied += p.applied
                if let f = p.firstWork, let l = p.lastWork { first = min(first, f); last = max(last, l) }
                console.err("ingest: worker \(name): \(p.entries) entries, \(p.applied) events applied, \(p.duplicates) duplicates, \(p.late) late, \(p.malformed) malformed entries, \(p.claimed) claimed from others; held partitions \(held) at the end\n")
            case .failure(let e):
                failed = true
                console.err("ingest: worker \(name) failed: \(e.message)\n")
            }
        }
        let working = last > first ? " (\(Formatting.fixed(last - first, 2)) s from the first entry read to the last acknowledged: \(Int((Double(applied) / (last - first)).rounded())) events/s)" : ""
        console.err("ingest: \(applied) events applied by \(workers) worker(s) in \(Formatting.fixed(seconds, 2)) s\(working)\n")
        return failed ? .ioError : .success
    }

    /// The number of partition streams of the stream `location.name` (their keys `NAME:{NAME.p}`),
    /// from the `partitions` option when given, else found by scanning the masters.
    static func discoverPartitions(_ location: RedisLocation) throws -> Int {
        if location.partitionsGiven { return location.partitions }
        let prefix = "\(location.name):{\(location.name)."
        let highest = try location.client().scanKeys(matching: "\(location.name):*", type: "stream")
            .compactMap { key in key.hasPrefix(prefix) && key.hasSuffix("}") ? Int(key.dropFirst(prefix.count).dropLast()) : nil }
            .max() ?? -1
        guard highest >= 0 else { throw RuntimeError(.io, "\(location.name): no partition streams found (run 'ingest --to' first, or give ?partitions=P)") }
        return highest + 1
    }
}
