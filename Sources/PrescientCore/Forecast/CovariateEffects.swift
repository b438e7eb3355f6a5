/// How much each segment's activity rises or falls when a covariate is active (rain, a scheduled
/// event), learned from the profiles: a multiplicative lift per segment and kind.
///
/// Pooled over the segment's users (one user sees too few event hours to tell):
/// `L̂ = Σ O_u / Σ Ê_u`, where O_u is the user's decayed minutes in covariate hours (counted at
/// ingest) and `Ê_u = Σ_b μ̂_b C_b` what the user's rhythm (`RhythmRates`) would have put there
/// (`CovariateExposure`), both as of `now`.
/// The rhythm itself already holds the lifted minutes, so Ê is inflated by `1 + (L − 1) c̄`, with
/// `c̄ = Σ μ̂_b C_b c_b / Ê` the exposure-weighted share of covariate hours; solving
/// `L̂ = L / (1 + (L − 1) c̄)` gives `L = L̂ (1 − c̄) / (1 − L̂ c̄)`. With less than
/// `minimumExpectedMinutes` of exposure the lift is 1 (no evidence, no effect).
public struct CovariateEffects: Sendable {
    public typealias Kind = CovariateExposure.Kind

    /// Sums per segment and kind.
    public struct Evidence: Sendable, Equatable {
        /// Σ O_u and Σ Ê_u, decayed minutes as of `now`.
        public var observed = 0.0, expected = 0.0
        /// Σ μ̂_b C_b c_b (as of `now`).
        public var inflation = 0.0
        public var users = 0

        /// The lift, corrected for the rhythm's own inflation; 1 without enough evidence.
        public var lift: Double {
            guard expected >= CovariateEffects.minimumExpectedMinutes else { return 1 }
            let raw = observed / expected
            let c = min(0.9, inflation / expected)
            let denominator = 1 - raw * c
            guard denominator > 0.05 else { return CovariateEffects.maximumLift }
            return min(CovariateEffects.maximumLift, max(0, raw * (1 - c) / denominator))
        }
    }

    /// Exposure below this (expected minutes across the segment) says nothing.
    public static let minimumExpectedMinutes = 30.0
    /// The largest lift believed.
    public static let maximumLift = 20.0

    public let exposure: CovariateExposure
    public private(set) var evidence: [Key: Evidence] = [:]
    public struct Key: Hashable, Sendable { public var segment: Int32?; public var kind: Kind }
    private var rhythm: RhythmRates
    private var rates = [Double](repeating: 0, count: 168), weights = [Double](repeating: 0, count: 168)

    public init(exposure: CovariateExposure) {
        self.exposure = exposure
        rhythm = RhythmRates(now: exposure.now, offsets: exposure.offsets, halfLifeDays: exposure.halfLifeDays)
    }

    /// Adds one user's evidence.
    public mutating func add(_ p: UserProfile) {
        guard p.covariateMinutes > 0, p.activeMinutes > 0 else { return }
        rhythm.rates(of: p, rates: &rates, weights: &weights)
        guard let x = exposure.exposure(of: p, weights: weights) else { return }
        let scale = p.scale(at: exposure.now, halfLifeDays: exposure.halfLifeDays)
        for kind in Kind.allCases {
            var expected = 0.0, inflation = 0.0
            let base = kind.rawValue * 168
            for b in 0..<168 where x.counts[base + b] > 0 {
                let e = rates[b] * x.counts[base + b]
                expected += e
                inflation += e * x.share(kind, bin: b)
            }
            let observed = Double(kind == .rain ? p.rainMinutes : p.eventMinutes)
            var ev = evidence[Key(segment: p.segment, kind: kind)] ?? Evidence()
            ev.observed += observed * scale
            ev.expected += expected
            ev.inflation += inflation
            ev.users += 1
            evidence[Key(segment: p.segment, kind: kind)] = ev
        }
    }

    /// The lift of `kind` for `segment` (1 when unknown).
    public func lift(_ kind: Kind, segment: Int32?) -> Double {
        evidence[Key(segment: segment, kind: kind)]?.lift ?? 1
    }

    /// The factor on a user's rhythm-predicted minutes in one step: for each kind, the lift when it
    /// is active, divided by the inflation the rhythm carries in that bin, `1 + (L − 1) c_b`.
    @inline(__always)
    func factor(mask: UInt8, bin: Int, exposure x: CovariateExposure.UserExposure, lifts: [Double]) -> Double {
        var f = 1.0
        for kind in Kind.allCases {
            let l = lifts[kind.rawValue]
            guard l != 1 else { continue }
            if mask & kind.bit != 0 { f *= l }
            f /= 1 + (l - 1) * x.share(kind, bin: bin)
        }
        return f
    }
}

extension CovariateEffects {
    /// A line per covariate active in some of `steps` (masks of a region's forecast steps) naming
    /// the segments it moves by more than 10 %: `rain in 5 of 24 h: segment 1 ×1.6`.
    func drivers(masks: [UInt8], segments: [Int32?], eventName: String?) -> [String] {
        var out: [String] = []
        for kind in Kind.allCases {
            let active = masks.filter { $0 & kind.bit != 0 }.count
            guard active > 0 else { continue }
            let moved = segments.compactMap { seg -> String? in
                let l = lift(kind, segment: seg)
                guard abs(l - 1) > 0.1 else { return nil }
                return "\(seg.map { "segment \($0)" } ?? "unsegmented users") ×\(Double(Int((l * 10).rounded())) / 10)"
            }
            let what = kind == .event ? "scheduled event\(eventName.map { " " + $0 } ?? "")" : "rain"
            out.append("\(what) in \(active) of \(masks.count) h: " + (moved.isEmpty ? "no segment reacts" : moved.joined(separator: ", ")))
        }
        return out
    }
}
