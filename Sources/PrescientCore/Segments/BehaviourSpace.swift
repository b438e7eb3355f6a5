/// Turns a profile into a point in a behaviour space where Euclidean distance means "behaves
/// differently": blocks of Hellinger embeddings (square roots of distributions), each weighted.
///
/// Blocks: the rhythm folded to weekday and weekend hours of the day (48 bins, circularly smoothed
/// with [¼ ½ ¼]), the feature mix over a fixed vocabulary (+ other), the device mix, and the
/// region mix (+ other). Region has a small weight: users who behave alike in different regions
/// should share a segment; the allocation map then says where each segment's demand lands.
/// The vocabularies are part of the space, so a re-run on newer data can reuse them and compare
/// centroids with the previous run's.
public struct BehaviourSpace: Sendable, Equatable, Codable {
    public var features: [String]
    public var regions: [String]
    public var rhythmWeight: Float = 1.0
    public var featureWeight: Float = 1.0
    public var deviceWeight: Float = 0.7
    public var regionWeight: Float = 0.2
    /// Weight of the activity dimension: log(1 + active minutes per day), standardised.
    public var activityWeight: Float = 0.25
    /// Pseudo-observations of prior: a user's mixes are shrunk towards the population's,
    /// `p = (n·p_user + α·p_population) / (n + α)` with n the user's distinct active hours of the
    /// week (not events: an order of 40 lines or a page of 30 requests is one visit), so a user
    /// seen twice is not placed by noise.
    public var priorEvents: Float = 3
    /// Mean and standard deviation of log(1 + decayed active minutes) over the population.
    public var activityMean: Float = 0
    public var activitySpread: Float = 1
    /// The population's rhythm (48 folded bins), feature (+ other) and device shares.
    public var rhythmPrior: [Float] = []
    public var featurePrior: [Float] = []
    public var devicePrior: [Float] = []

    public static let rhythmDims = 48

    public init(features: [String], regions: [String]) { self.features = features; self.regions = regions }

    /// A space whose vocabularies are the most active features (up to `maxFeatures`) and regions.
    public static func fitted(to profiles: [UserProfile], maxFeatures: Int = 24, maxRegions: Int = 12) -> BehaviourSpace {
        var f: [String: Double] = [:], r: [String: Double] = [:]
        for p in profiles {
            for x in p.features { f[x.name, default: 0] += Double(x.weight) }
            for x in p.regions { r[x.name, default: 0] += Double(x.weight) }
        }
        func top(_ d: [String: Double], _ n: Int) -> [String] {
            d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n).map(\.key)
        }
        var space = BehaviourSpace(features: top(f, maxFeatures), regions: top(r, maxRegions))
        // Population shares: the mean of users' shares (each user counts once).
        var rhythm = [Double](repeating: 0, count: rhythmDims)
        var feats = [Double](repeating: 0, count: space.features.count + 1)
        var devs = [Double](repeating: 0, count: DeviceClass.allCases.count)
        var users = 0.0
        for p in profiles {
            let total = p.rhythm.reduce(0, +)
            guard total > 0 else { continue }
            users += 1
            let folded = fold(p.rhythm)
            for i in 0..<rhythmDims { rhythm[i] += Double(folded[i] / total) }
            let fs = space.shares(p.features, other: p.otherFeatures, vocabulary: space.features)
            for i in fs.indices { feats[i] += Double(fs[i]) }
            let dt = p.devices.reduce(0, +)
            if dt > 0 { for i in devs.indices { devs[i] += Double(p.devices[i] / dt) } }
        }
        let levels = profiles.filter { $0.activeMinutes > 0 }.map { Double(activityLevel($0)) }
        if !levels.isEmpty {
            let mean = levels.reduce(0, +) / Double(levels.count)
            let variance = levels.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(levels.count)
            space.activityMean = Float(mean)
            space.activitySpread = Float(max(variance.squareRoot(), 1e-3))
        }
        if users > 0 {
            space.rhythmPrior = rhythm.map { Float($0 / users) }
            space.featurePrior = feats.map { Float($0 / users) }
            let dsum = devs.reduce(0, +)
            space.devicePrior = devs.map { Float(dsum > 0 ? $0 / dsum : 0) }
        }
        return space
    }

    /// 168 hour-of-week bins folded to weekday (Mon–Fri) and weekend hours of the day.
    static func fold(_ rhythm: [Float]) -> [Float] {
        var folded = [Float](repeating: 0, count: rhythmDims)
        for day in 0..<7 { for h in 0..<24 { folded[(day >= 5 ? 24 : 0) + h] += rhythm[day * 24 + h] } }
        return folded
    }

    /// Shares of a vocabulary (+ other) in a weighted list.
    func shares(_ list: [WeightedName], other: Float, vocabulary: [String]) -> [Float] {
        var out = [Float](repeating: 0, count: vocabulary.count + 1)
        let total = list.reduce(other) { $0 + $1.weight }
        guard total > 0 else { return out }
        out[vocabulary.count] = other
        for x in list {
            if let i = vocabulary.firstIndex(of: x.name) { out[i] += x.weight } else { out[vocabulary.count] += x.weight }
        }
        return out.map { $0 / total }
    }

    @inline(__always)
    func shrink(_ share: Float, _ prior: [Float], _ i: Int, _ n: Float) -> Float {
        guard i < prior.count, priorEvents > 0 else { return share }
        return (n * share + priorEvents * prior[i]) / (n + priorEvents)
    }

    public var dimensions: Int { Self.rhythmDims + features.count + 1 + DeviceClass.allCases.count + regions.count + 1 + 1 }

    /// Evidence behind a profile's shape: its distinct active hours of the week.
    static func evidence(_ p: UserProfile) -> Float {
        Float(p.rhythm.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
    }

    static func activityLevel(_ p: UserProfile) -> Float { _logOnePlus(Float(p.activeMinutes)) }

    /// Writes the profile's point into `out` (length `dimensions`); false for a profile with no activity.
    public func embed(_ p: UserProfile, into out: inout [Float]) -> Bool {
        let total = p.rhythm.reduce(0, +)
        guard total > 0 else { return false }
        let n = Self.evidence(p)
        var k = 0
        // Rhythm: fold 168 → weekday and weekend hours, shrink to the population, smooth, sqrt.
        let folded = Self.fold(p.rhythm).enumerated().map { shrink($1 / total, rhythmPrior, $0, n) }
        for block in 0..<2 {
            for h in 0..<24 {
                let prev = folded[block * 24 + (h + 23) % 24], cur = folded[block * 24 + h], next = folded[block * 24 + (h + 1) % 24]
                out[k] = rhythmWeight * (0.25 * prev + 0.5 * cur + 0.25 * next).squareRoot()
                k += 1
            }
        }
        for (i, v) in shares(p.features, other: p.otherFeatures, vocabulary: features).enumerated() {
            out[k] = featureWeight * shrink(v, featurePrior, i, n).squareRoot(); k += 1
        }
        let devTotal = p.devices.reduce(0, +)
        for (i, d) in p.devices.enumerated() {
            out[k] = deviceWeight * shrink(devTotal > 0 ? d / devTotal : 0, devicePrior, i, n).squareRoot(); k += 1
        }
        for v in shares(p.regions, other: 0, vocabulary: regions) { out[k] = regionWeight * v.squareRoot(); k += 1 }
        out[k] = activityWeight * (Self.activityLevel(p) - activityMean) / activitySpread
        return true
    }
}

#if canImport(Glibc)
import Glibc
#endif
@inline(__always) func _logOnePlus(_ x: Float) -> Float { log1pf(x) }
