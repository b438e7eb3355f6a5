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
        return BehaviourSpace(features: top(f, maxFeatures), regions: top(r, maxRegions))
    }

    public var dimensions: Int { Self.rhythmDims + features.count + 1 + DeviceClass.allCases.count + regions.count + 1 }

    /// Writes the profile's point into `out` (length `dimensions`); false for a profile with no activity.
    public func embed(_ p: UserProfile, into out: inout [Float]) -> Bool {
        let total = p.rhythm.reduce(0, +)
        guard total > 0 else { return false }
        var k = 0
        // Rhythm: fold 168 → weekday (Mon–Fri) and weekend hours, smooth, normalise, sqrt.
        var folded = [Float](repeating: 0, count: 48)
        for day in 0..<7 { for h in 0..<24 { folded[(day >= 5 ? 24 : 0) + h] += p.rhythm[day * 24 + h] } }
        for block in 0..<2 {
            for h in 0..<24 {
                let prev = folded[block * 24 + (h + 23) % 24], cur = folded[block * 24 + h], next = folded[block * 24 + (h + 1) % 24]
                out[k] = rhythmWeight * ((0.25 * prev + 0.5 * cur + 0.25 * next) / total).squareRoot()
                k += 1
            }
        }
        k = put(p.features, other: p.otherFeatures, vocabulary: features, weight: featureWeight, at: k, into: &out)
        let devTotal = p.devices.reduce(0, +)
        for d in p.devices { out[k] = deviceWeight * (devTotal > 0 ? (d / devTotal).squareRoot() : 0); k += 1 }
        k = put(p.regions, other: 0, vocabulary: regions, weight: regionWeight, at: k, into: &out)
        return true
    }

    private func put(_ list: [WeightedName], other: Float, vocabulary: [String], weight: Float, at start: Int, into out: inout [Float]) -> Int {
        let total = list.reduce(other) { $0 + $1.weight }
        for i in 0...vocabulary.count { out[start + i] = 0 }
        guard total > 0 else { return start + vocabulary.count + 1 }
        var rest = other
        for x in list {
            if let i = vocabulary.firstIndex(of: x.name) { out[start + i] += x.weight } else { rest += x.weight }
        }
        out[start + vocabulary.count] = rest
        for i in 0...vocabulary.count { out[start + i] = weight * (out[start + i] / total).squareRoot() }
        return start + vocabulary.count + 1
    }
}
