/// A demand forecast per coming minute at several quantile levels, read as a distribution:
/// between known levels the value is linear in the normal score z = Φ⁻¹(p), beyond them it
/// continues along the nearest segment (a normal tail when the levels came from one).
public struct QuantileForecast: Sendable, Equatable {
    /// Sorted levels in (0, 1) and their normal scores.
    public let levels: [Double]
    let scores: [Double]
    /// `values[level][minute]`, non-decreasing across levels.
    public let values: [[Double]]

    public init(levels: [Double], values: [[Double]]) {
        let order = levels.indices.sorted { levels[$0] < levels[$1] }
        self.levels = order.map { levels[$0] }
        scores = order.map { NormalQuantile.z(levels[$0]) }
        var v = order.map { values[$0] }
        // Enforce non-crossing, minute by minute.
        for i in 1..<max(1, v.count) { for m in v[i].indices { v[i][m] = max(v[i][m], v[i - 1][m]) } }
        self.values = v
    }

    /// A forecast known exactly (every level the same value).
    public init(exact: [Double]) { self.init(levels: [0.5], values: [exact]) }

    public var minutes: Int { values.first?.count ?? 0 }

    /// The value at level `p` for `minute`.
    public func value(_ p: Double, minute m: Int) -> Double {
        guard levels.count > 1 else { return values[0][m] }
        return value(z: NormalQuantile.z(min(max(p, 1e-6), 1 - 1e-6)), minute: m)
    }

    /// The value at normal score `z` for `minute` (callers looping over minutes compute z once).
    public func value(z: Double, minute m: Int) -> Double {
        guard levels.count > 1 else { return values[0][m] }
        var i = 0
        while i < scores.count - 2 && z > scores[i + 1] { i += 1 }
        let z0 = scores[i], z1 = scores[i + 1], v0 = values[i][m], v1 = values[i + 1][m]
        guard z1 > z0 else { return v1 }
        return max(0, v0 + (v1 - v0) * (z - z0) / (z1 - z0))
    }

    /// P(demand > `capacity`) for `minute`: the level whose value is `capacity`, inverted.
    public func exceedance(_ capacity: Double, minute m: Int) -> Double {
        guard levels.count > 1 else { return values[0][m] > capacity ? 1 : 0 }
        var i = 0
        while i < scores.count - 2 && capacity > values[i + 1][m] { i += 1 }
        let z0 = scores[i], z1 = scores[i + 1], v0 = values[i][m], v1 = values[i + 1][m]
        guard v1 > v0 else { return capacity >= v1 ? 0 : 1 }
        let z = z0 + (capacity - v0) * (z1 - z0) / (v1 - v0)
        return 1 - NormalQuantile.cdf(z)
    }
}

extension NormalQuantile {
    /// The standard normal distribution function Φ(z) (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7).
    public static func cdf(_ z: Double) -> Double {
        // Abramowitz–Stegun 7.1.26 on |z|/√2, reflected.
        let x = abs(z) / 2.squareRoot()
        let t = 1 / (1 + 0.3275911 * x)
        let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
        let erfc = poly * _exp(-x * x)
        return z >= 0 ? 1 - erfc / 2 : erfc / 2
    }
}
