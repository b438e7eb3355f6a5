/// How much each segment's activity rises or falls when a covariate is active (rain, a scheduled
/// event), learned from the profiles: a multiplicative lift per segment and kind.
///
/// Pooled over the segment's users (one user sees too few event hours to tell). For user u and
/// hour-of-week bin b, `C_b` is the decayed weight of the bin's past covariate hours and
/// `c_b = C_b / W_b` their share of its occurrences (`CovariateExposure`); O_u is the user's decayed
/// minutes in covariate hours (counted at ingest). The rhythm holds the lifted minutes too: under a
/// lift L, `R_b = μ_b W_b (1 + (L − 1) c_b)` with μ_b the baseline rate, so the minutes expected in
/// covariate hours are `L Σ_b μ_b C_b = Σ_b R_b · L c_b / (1 + (L − 1) c_b)`. L solves
/// `Σ_{u,b} R_b · L c_b / (1 + (L − 1) c_b) = Σ_u O_u` (the left side grows with L; bisection), with
/// the (u, b) terms pooled into buckets of c_b. Dividing by a mean c instead (first order) would
/// overstate L: `1 / (1 + (L − 1) c)` is convex in c. The solved lift is shrunk towards 1 by the
/// evidence, `log L' = log L × E / (E + priorMinutes)` with E = Σ R_b c_b (the rhythm's minutes in
/// covariate hours): a segment of a few users seen in two rainy hours keeps lift ≈ 1, a large one
/// keeps its estimate. Below `minimumExpectedMinutes` the lift is 1.
public struct CovariateEffects: Sendable {
    public typealias Kind = CovariateExposure.Kind

    /// Sums per segment and kind, as of `now`.
    public struct Evidence: Sendable, Equatable {
        /// Σ O_u, decayed minutes.
        public var observed = 0.0
        /// Per bucket of c_b (`buckets` of equal width): Σ R_b c_b and Σ R_b c_b².
        public var mass = [Double](repeating: 0, count: Evidence.buckets)
        public var massShare = [Double](repeating: 0, count: Evidence.buckets)
        public var users = 0
        static let buckets = 32

        /// Σ R_b c_b: the minutes the rhythm puts in covariate hours.
        public var expected: Double { mass.reduce(0, +) }

        /// `Σ_j L a_j / (1 + (L − 1) c_j)` with a_j the bucket's mass and c_j its mean share.
        func expected(lift l: Double) -> Double {
            var total = 0.0
            for j in 0..<Self.buckets where mass[j] > 0 {
                let c = massShare[j] / mass[j]
                total += l * mass[j] / (1 + (l - 1) * c)
            }
            return total
        }

        /// The lift, shrunk towards 1 by the evidence; 1 without enough of it.
        public var lift: Double {
            let e = expected
            guard e >= CovariateEffects.minimumExpectedMinutes else { return 1 }
            var lo = 0.0, hi = CovariateEffects.maximumLift
            if expected(lift: hi) > observed {
                for _ in 0..<50 {
                    let mid = (lo + hi) / 2
                    if expected(lift: mid) < observed { lo = mid } else { hi = mid }
                }
            }
            let solved = max(1.0 / CovariateEffects.maximumLift, (lo + hi) / 2)
            return _exp(_log(solved) * e / (e + CovariateEffects.priorMinutes))
        }
    }

    /// Exposure below this (expected minutes across the segment) says nothing.
    public static let minimumExpectedMinutes = 30.0
    /// Evidence (expected minutes) at which a lift is believed halfway, in log terms.
    public static let priorMinutes = 600.0
    /// The largest lift believed (and 1 / it the smallest).
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

    /// Adds one user's evidence. A user who is lately somewhere that holds less than half of their
    /// long region mix (a mover, a traveller) is left out: their past exposure is placed by that
    /// mix, which says where they usually were, not when they were where.
    public mutating func add(_ p: UserProfile) {
        guard p.covariateMinutes > 0, p.activeMinutes > 0, Self.isSettled(p) else { return }
        rhythm.rates(of: p, rates: &rates, weights: &weights)
        guard let x = exposure.exposure(of: p, weights: weights) else { return }
        let scale = p.scale(at: exposure.now, halfLifeDays: exposure.halfLifeDays)
        for kind in Kind.all {
            let key = Key(segment: p.segment, kind: kind)
            var ev = evidence[key] ?? Evidence()
            let base = kind.index * 168
            for b in 0..<168 where x.counts[base + b] > 0 {
                let c = x.share(kind, bin: b)
                let j = min(Evidence.buckets - 1, Int(c * Double(Evidence.buckets)))
                let e = rates[b] * x.counts[base + b] // μ̂_b C_b = R_b c_b
                ev.mass[j] += e
                ev.massShare[j] += e * c
            }
            ev.observed += Double(kind.eventLag.map { p.eventMinutesByLag[$0] } ?? p.rainMinutes) * scale
            ev.users += 1
            evidence[key] = ev
        }
    }

    static func isSettled(_ p: UserProfile) -> Bool {
        guard let here = p.currentRegion else { return true }
        let total = p.regions.reduce(0) { $0 + $1.weight }
        let share = p.regions.first { $0.name == here }?.weight ?? 0
        return total > 0 && share >= total / 2
    }

    /// The lift of `kind` for `segment` (1 when unknown).
    public func lift(_ kind: Kind, segment: Int32?) -> Double {
        evidence[Key(segment: segment, kind: kind)]?.lift ?? 1
    }

    /// The factor on a user's rhythm-predicted minutes in one step: for each kind, the lift when it
    /// is active, divided by the inflation the rhythm carries in that bin, `1 + (L − 1) c_b`.
    @inline(__always)
    func factor(active: CovariateExposure.Active, bin: Int, exposure x: CovariateExposure.UserExposure, lifts: [Double]) -> Double {
        var f = 1.0
        for kind in Kind.all {
            let l = lifts[kind.index]
            guard l != 1 else { continue }
            if active.has(kind) { f *= l }
            f /= 1 + (l - 1) * x.share(kind, bin: bin)
        }
        return f
    }
}

extension CovariateEffects {
    /// A line per covariate active in some of `steps` (a region's forecast steps) naming the
    /// segments it moves by more than 10 %: `rain in 5 of 24 h: segment 1 ×1.6`, and for a
    /// scheduled event the lifts hour by hour from its start: `… segment 2 ×2.1 ×4.3 ×4.0 ×1.9`.
    func drivers(steps: [CovariateExposure.Active], segments: [Int32?], eventName: String?) -> [String] {
        var out: [String] = []
        func label(_ seg: Int32?) -> String { seg.map { "segment \($0)" } ?? "unsegmented users" }
        func times(_ l: Double) -> String { "×\(Double(Int((l * 10).rounded())) / 10)" }
        let rainy = steps.filter(\.rain).count
        if rainy > 0 {
            let moved = segments.compactMap { seg -> String? in
                let l = lift(.rain, segment: seg)
                return abs(l - 1) > 0.1 ? "\(label(seg)) \(times(l))" : nil
            }
            out.append("rain in \(rainy) of \(steps.count) h: " + (moved.isEmpty ? "no segment reacts" : moved.joined(separator: ", ")))
        }
        let lags = steps.map(\.lag).filter { $0 >= 0 }.map(Int.init)
        if !lags.isEmpty {
            let moved = segments.compactMap { seg -> String? in
                let ls = lags.map { lift(.event(lag: $0), segment: seg) }
                return ls.contains { abs($0 - 1) > 0.1 } ? "\(label(seg)) " + ls.map(times).joined(separator: " ") : nil
            }
            out.append("scheduled event\(eventName.map { " " + $0 } ?? "") in \(lags.count) of \(steps.count) h (hour by hour from its start): "
                       + (moved.isEmpty ? "no segment reacts" : moved.joined(separator: ", ")))
        }
        return out
    }
}
