/// Builds a `DemandTrace` from events: each event is active over [time, time + max(duration, 6 s))
/// and uses, per second of it, what the profile updater charges it — its own `cpu_ms`, `mem_mb` and
/// `bytes` when present, else its feature's configured cost per active minute. Events may come in
/// any order; memory grows with the span covered (3 doubles per region-minute).
public struct DemandTraceBuilder: Sendable {
    public let regions: [String]
    private let costs: [String: FeatureCost]
    /// Minute index (since the epoch) of `values[…][0]`: an hour before the first event seen, so
    /// events a little out of order land without shifting the arrays.
    private var base: Int64?
    /// The earliest minute any event covers (where the built trace starts).
    private var earliest: Int64 = .max
    /// `values[region][resource][minute - base]`.
    private var values: [[[Double]]]
    public private(set) var events = 0
    public private(set) var unknownRegions = 0
    /// With a fixed start (`init(config:start:)`): events that began before it, dropped.
    public private(set) var beforeStart = 0
    private var fixedStart = false

    public init(config: PrescientConfig) {
        regions = config.regions.map(\.name)
        var c: [String: FeatureCost] = [:]
        for f in config.features { c[f.name] = f.cost }
        costs = c
        values = regions.map { _ in Resource.allCases.map { _ in [] } }
    }

    /// A builder whose trace starts at `start`, whatever comes (a live server's epoch, so minute
    /// indices never shift): an event that began before it is dropped and counted.
    public init(config: PrescientConfig, start: Timestamp) {
        self.init(config: config)
        base = floorDiv(start.milliseconds, 60_000)
        earliest = base!
        fixedStart = true
    }

    public mutating func add(_ e: Event) {
        guard let r = regions.firstIndex(of: e.region) else { unknownRegions += 1; return }
        if fixedStart && e.time.milliseconds < base! * 60_000 { beforeStart += 1; return }
        let seconds = max(e.durationSeconds, ProfileUpdater.minimumActiveSeconds)
        let cost = costs[e.feature]
        let rate = [e.resources.cpuMilliseconds.map { $0 / seconds } ?? cost?.cpuMillicores ?? 0,
                    e.resources.memoryMiB ?? cost?.memoryMiB ?? 0,
                    e.bytes > 0 ? Double(e.bytes) * 8 / 1000 / seconds : (cost?.networkKbps ?? 0)]
        let startMs = e.time.milliseconds, endMs = startMs + Int64(seconds * 1000)
        let first = floorDiv(startMs, 60_000), last = floorDiv(endMs - 1, 60_000)
        ensure(first, last)
        var t = startMs
        for m in first...last {
            let until = min(endMs, (m + 1) * 60_000)
            let share = Double(until - t) / 60_000   // fraction of the minute active
            let i = Int(m - base!)
            for k in 0..<3 { values[r][k][i] += share * rate[k] }
            t = until
        }
        events += 1
    }

    private mutating func ensure(_ first: Int64, _ last: Int64) {
        if base == nil { base = first - 60 }
        earliest = min(earliest, first)
        if first < base! {
            let grow = Int(base! - first)
            for r in values.indices { for k in 0..<3 { values[r][k].insert(contentsOf: [Double](repeating: 0, count: grow), at: 0) } }
            base = first
        }
        let need = Int(last - base!) + 1
        for r in values.indices { for k in 0..<3 where values[r][k].count < need {
            values[r][k].append(contentsOf: [Double](repeating: 0, count: need - values[r][k].count))
        } }
    }

    /// The trace over every minute seen, and at least `minutes` long; nil before any event (with
    /// a fixed start: never nil).
    public func build(minutes atLeast: Int = 0) -> DemandTrace? {
        guard let base, earliest != .max else { return nil }
        let skip = Int(earliest - base)
        let minutes = max(atLeast, (values.map { $0[0].count }.max() ?? 0) - skip)
        var trace = DemandTrace(start: Timestamp(milliseconds: earliest * 60_000), minutes: minutes, regions: regions)
        for r in regions.indices { for k in 0..<3 {
            let kept = values[r][k].count > skip ? Array(values[r][k][skip...]) : []
            trace.values[r][k] = kept + [Double](repeating: 0, count: minutes - kept.count)
        } }
        return trace
    }
}
