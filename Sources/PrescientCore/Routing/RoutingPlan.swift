/// Where each region's users are served from for the coming hour, and why (pure).
///
/// Input per region r: D_r, the next hour's p90 CPU forecast (vCPU), and C_r, the capacity
/// planned for it (vCPU, ready + booting). A region with room keeps all of its users. A region
/// short of room keeps min(1, C_r / D_r) of them and sends the excess E_r = D_r − C_r to its
/// neighbours in latency order (config `neighbours`), each up to its spare room
/// S_n = C_n − D_n − (what others already sent it); the most overloaded region (largest E_r / D_r)
/// is served first. Excess nobody has room for stays home.
///
/// A user's row is chosen by `home(…)`; within the row the user's stable bucket b ∈ [0, 1)
/// (FNV-1a of the id) picks the target from the cumulative shares, home first, then neighbours in
/// latency order. So when a region's share shrinks, the users at the top of the bucket range move,
/// and when it grows the same users come back first.
///
/// Stickiness, so users do not flap: a row changes only when some share moved by more than
/// `stickiness` (default 0.05), and a region that was diverting takes users back only when its
/// capacity clears the forecast by that margin (C_r ≥ D_r × (1 + stickiness)).
public struct RoutingPlan: Sendable, Equatable {
    /// Region names, in config order; rows and columns of `shares` follow it.
    public let regions: [String]
    /// shares[home][target] ∈ [0, 1]: the fraction of `home`'s users served from `target`; each row sums to 1.
    public private(set) var shares: [[Double]]
    /// Targets of each row in the order the bucket walks them: home first, then neighbours by latency.
    let order: [[Int]]
    /// Per home region, why its row is what it is.
    public private(set) var reasons: [String]
    /// Per region, the forecast D and capacity C the plan was made from (vCPU).
    public private(set) var demand: [Double], capacity: [Double]

    /// A plan that serves every user at home (before any forecast).
    public init(regions: [RegionSpec]) {
        self.regions = regions.map(\.name)
        let n = regions.count
        shares = (0..<n).map { r in (0..<n).map { $0 == r ? 1 : 0 } }
        order = Self.latencyOrder(regions)
        reasons = self.regions.map { "\($0): serves all of its users (no forecast yet)" }
        demand = Array(repeating: 0, count: n); capacity = Array(repeating: 0, count: n)
    }

    static func latencyOrder(_ regions: [RegionSpec]) -> [[Int]] {
        let names = regions.map(\.name)
        var out: [[Int]] = []
        for (r, spec) in regions.enumerated() {
            var near: [(index: Int, ms: Double)] = []
            for (name, ms) in spec.neighbours {
                if let i = names.firstIndex(of: name), i != r { near.append((i, ms)) }
            }
            near.sort { a, b in a.ms < b.ms || (a.ms == b.ms && a.index < b.index) }
            out.append([r] + near.map { $0.index })
        }
        return out
    }

    /// The plan for the coming hour from the forecast `demand` and planned `capacity` (vCPU per
    /// region, config order), keeping rows of `previous` that moved by no more than `stickiness`.
    public static func make(regions: [RegionSpec], demand: [Double], capacity: [Double],
                            previous: RoutingPlan? = nil, stickiness: Double = 0.05) -> RoutingPlan {
        var plan = RoutingPlan(regions: regions)
        let n = regions.count
        precondition(demand.count == n && capacity.count == n, "one demand and one capacity per region")
        plan.demand = demand; plan.capacity = capacity
        // The share each region keeps, min(1, C/D); taking users back needs the margin, and never
        // drops below what it kept before.
        var keep = (0..<n).map { demand[$0] > 0 ? min(1, capacity[$0] / demand[$0]) : 1 }
        if let previous, previous.regions == plan.regions {
            for r in 0..<n where keep[r] > previous.shares[r][r] {
                keep[r] = max(previous.shares[r][r], min(1, capacity[r] / (demand[r] * (1 + stickiness))))
            }
        }
        // Room for others only in regions that keep all of their own.
        var spare = (0..<n).map { keep[$0] == 1 ? max(0, capacity[$0] - demand[$0]) : 0 }
        let short = (0..<n).filter { keep[$0] < 1 }.sorted { keep[$0] < keep[$1] || (keep[$0] == keep[$1] && $0 < $1) }
        for r in 0..<n where keep[r] == 1 {
            plan.reasons[r] = "\(regions[r].name): serves all of its users; \(vcpu(capacity[r] - demand[r])) spare over its next-hour p90"
        }
        for r in short {
            var excess = demand[r] * (1 - keep[r])
            var row = [Double](repeating: 0, count: n)
            var sent: [String] = []
            for t in plan.order[r].dropFirst() where excess > 0 && spare[t] > 0 {
                let moved = min(excess, spare[t])
                spare[t] -= moved; excess -= moved
                row[t] = moved / demand[r]
                sent.append("\(ReasonFormat.percent(row[t])) to \(regions[t].name) (\(latency(regions[r], regions[t])))")
            }
            row[r] = 1 - row.reduce(0, +)
            plan.shares[r] = row
            let headline = "\(regions[r].name): \(vcpu(demand[r] - capacity[r])) short over its next-hour p90"
            plan.reasons[r] = sent.isEmpty ? "\(headline); no neighbour has room, all stay"
                : "\(headline); keeps \(ReasonFormat.percent(row[r])), sends " + sent.joined(separator: ", ") + (excess > 0 ? "; \(vcpu(excess)) nobody has room for" : "")
        }
        if let previous, previous.regions == plan.regions {
            for r in 0..<n where zip(previous.shares[r], plan.shares[r]).allSatisfy({ abs($0 - $1) <= stickiness }) && previous.shares[r] != plan.shares[r] {
                plan.shares[r] = previous.shares[r]
                plan.reasons[r] += " (kept the previous split: no share moved by more than \(ReasonFormat.percent(stickiness)))"
            }
        }
        return plan
    }

    /// The user's stable position in [0, 1): FNV-1a 64 of the id, top 53 bits.
    @inline(__always)
    public static func bucket(_ user: String) -> Double {
        Double(FNV1a.hash(user) >> 11) * 0x1p-53
    }

    /// The region serving a user whose home is region `home` and whose bucket is `bucket`.
    @inline(__always)
    public func target(home: Int, bucket: Double) -> Int {
        let row = shares[home]
        var cumulative = 0.0
        for t in order[home] {
            cumulative += row[t]
            if bucket < cumulative { return t }
        }
        return home
    }

    /// The user's home row: where they are now, else their usual region, else the top region of
    /// their segment (allocation map), else the first region. Unknown names are skipped.
    public func home(here: String?, usual: String?, segmentRegion: String? = nil) -> (index: Int, why: String) {
        for (name, why) in [(here, "where the user is now"), (usual, "the user's usual region"), (segmentRegion, "their segment's top region")] {
            if let name, let i = regions.firstIndex(of: name) { return (i, why) }
        }
        return (0, "no history for the user; the first region")
    }

    public struct Route: Sendable, Equatable {
        public var region: String
        public var reason: String
        public init(region: String, reason: String) { self.region = region; self.reason = reason }
    }

    /// The route for one user, with a reason a person can read (`/v1/route`).
    public func route(user: String, here: String?, usual: String?, segmentRegion: String? = nil) -> Route {
        let (home, why) = self.home(here: here, usual: usual, segmentRegion: segmentRegion)
        let t = target(home: home, bucket: Self.bucket(user))
        if t == home { return Route(region: regions[home], reason: "\(regions[home]) (\(why)): \(reasons[home])") }
        return Route(region: regions[t], reason: "\(regions[t]): the user's home \(regions[home]) (\(why)) is in the share it sends away — \(reasons[home])")
    }

    /// Load-balancer weights per region (config order), 1…256: proportional to the demand the plan
    /// sends to each region, Σ_r D_r × shares[r][t], the largest at 256; 0 for a region the plan
    /// sends nothing to. With no demand forecast anywhere, proportional to planned capacity; with
    /// neither, all 1.
    public func weights() -> [Int] {
        let n = regions.count
        var load = (0..<n).map { t in (0..<n).reduce(0.0) { $0 + demand[$1] * shares[$1][t] } }
        if load.allSatisfy({ $0 <= 0 }) { load = capacity }
        guard let top = load.max(), top > 0 else { return Array(repeating: 1, count: n) }
        return load.map { $0 <= 0 ? 0 : max(1, Int(($0 / top * 256).rounded())) }
    }

    static func vcpu(_ x: Double) -> String { "\(ReasonFormat.tenths(x)) vCPU" }
    static func latency(_ a: RegionSpec, _ b: RegionSpec) -> String { a.neighbours[b.name].map { "\(Int($0)) ms" } ?? "no latency given" }
}
