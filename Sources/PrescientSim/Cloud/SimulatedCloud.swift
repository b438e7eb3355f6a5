import PrescientCore

/// The embedded default actuator: regions of instances that boot, serve and bill, minute by
/// minute. Launches fail at `failureRate` (seeded); per-type quotas refuse launches beyond them;
/// billing is per second from launch to termination (booting included, failed launches not).
public struct SimulatedCloud: Sendable {
    public let catalog: [InstanceTypeSpec]
    public let regions: [String]
    public var failureRate: Double
    public private(set) var fleets: [RegionFleet]
    /// Cost so far, currency units.
    public private(set) var cost = 0.0
    public private(set) var failedLaunches = 0
    public private(set) var refusedLaunches = 0
    private var rng: SplitMix64
    private var now: Timestamp

    public init(regions: [String], catalog: [InstanceTypeSpec], start: Timestamp, failureRate: Double = 0, seed: UInt64 = 1) {
        self.regions = regions; self.catalog = catalog; self.failureRate = failureRate
        fleets = regions.map { _ in RegionFleet() }
        rng = SplitMix64(seed: seed)
        now = start
    }

    /// Starts `count` ready instances of `type` in `region` (the fleet a replay begins with).
    public mutating func seed(region: Int, type: String, count: Int) {
        fleets[region].pools[type, default: .init()].ready += count
    }

    /// Moves the clock to `t`: bills the elapsed time, and booted instances become ready.
    public mutating func advance(to t: Timestamp) {
        let seconds = Double(t.milliseconds - now.milliseconds) / 1000
        if seconds > 0 { for f in fleets { cost += f.pricePerHour(catalog: catalog) * seconds / 3600 } }
        now = t
        for r in fleets.indices {
            for (name, var pool) in fleets[r].pools where pool.booting.first.map({ $0 <= t }) == true {
                let due = pool.booting.prefix { $0 <= t }.count
                pool.ready += due
                pool.booting.removeFirst(due)
                fleets[r].pools[name] = pool
            }
        }
    }

    /// Carries out a decision: launches (each may fail; quota caps them) or terminations (ready
    /// instances first, then the latest booting). Returns how many took effect.
    @discardableResult
    public mutating func apply(_ d: ScalingDecision) -> Int {
        guard let r = regions.firstIndex(of: d.region), let type = catalog.first(where: { $0.name == d.instanceType }) else { return 0 }
        var pool = fleets[r].pools[type.name] ?? .init()
        var done = 0
        if d.delta > 0 {
            let allowed = max(0, min(d.delta, type.quota(in: d.region) - pool.count))
            refusedLaunches += d.delta - allowed
            for _ in 0..<allowed {
                if failureRate > 0 && rng.nextUnit() < failureRate { failedLaunches += 1; continue }
                pool.booting.append(now.adding(seconds: type.bootSeconds))
                done += 1
            }
            pool.booting.sort()
        } else {
            var k = -d.delta
            let fromReady = min(k, pool.ready)
            pool.ready -= fromReady; k -= fromReady; done += fromReady
            let fromBooting = min(k, pool.booting.count)
            pool.booting.removeLast(fromBooting); done += fromBooting
        }
        fleets[r].pools[type.name] = pool
        return done
    }
}
