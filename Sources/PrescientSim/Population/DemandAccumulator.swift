import PrescientCore

/// The true demand per region and minute: for each minute, Σ over sessions of the fraction of the
/// minute the session was active × the feature's cost (millicores, MiB, kbit/s).
///
/// Accumulated in O(1) per session with a difference array over whole minutes plus direct
/// additions for the partial first and last minute; per (region, feature) so costs apply at the end.
public struct DemandAccumulator: Sendable {
    public let start: Timestamp
    public let minutes: Int
    let regions: Int
    let features: Int
    private var direct: [Double]
    private var diff: [Double]

    public init(start: Timestamp, minutes: Int, regions: Int, features: Int) {
        self.start = start; self.minutes = minutes; self.regions = regions; self.features = features
        direct = [Double](repeating: 0, count: regions * features * (minutes + 1))
        diff = direct
    }

    /// Adds a session active over [startMs, startMs + seconds).
    public mutating func add(region: Int, feature: Int, startMs: Int64, seconds: Double) {
        let base = (region * features + feature) * (minutes + 1)
        let t0 = Double(startMs - start.milliseconds) / 60_000
        let t1 = t0 + seconds / 60
        guard t1 > 0, t0 < Double(minutes) else { return }
        let a = max(0, t0), b = min(Double(minutes), t1)
        let m0 = Int(a), m1 = Int(b)
        if m0 == m1 {
            direct[base + m0] += b - a
            return
        }
        direct[base + m0] += Double(m0 + 1) - a
        if m1 > m0 + 1 {
            diff[base + m0 + 1] += 1
            diff[base + m1] -= 1
        }
        if m1 < minutes { direct[base + m1] += b - Double(m1) }
    }

    /// Active sessions (fractional) per minute for a region and feature.
    public func activity(region: Int, feature: Int) -> [Double] {
        let base = (region * features + feature) * (minutes + 1)
        var out = [Double](repeating: 0, count: minutes)
        var running = 0.0
        for m in 0..<minutes {
            running += diff[base + m]
            out[m] = running + direct[base + m]
        }
        return out
    }

    /// Demand rows for one region: per minute, active sessions and the three resources.
    public func demand(region: Int, costs: [FeatureCost]) -> [(sessions: Double, cpu: Double, memory: Double, network: Double)] {
        var rows = [(sessions: Double, cpu: Double, memory: Double, network: Double)](repeating: (0, 0, 0, 0), count: minutes)
        for f in 0..<features {
            let a = activity(region: region, feature: f)
            let c = costs[f]
            for m in 0..<minutes where a[m] != 0 {
                rows[m].sessions += a[m]
                rows[m].cpu += a[m] * c.cpuMillicores
                rows[m].memory += a[m] * c.memoryMiB
                rows[m].network += a[m] * c.networkKbps
            }
        }
        return rows
    }
}
