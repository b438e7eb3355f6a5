import Dispatch

/// Groups users whose behaviour is alike, keeps segment identities stable across re-runs, and
/// describes each segment.
///
/// 1. Embed every active profile in a `BehaviourSpace` (the previous run's, when there is one, so
///    centroids stay comparable).
/// 2. Choose k (unless configured): k-means++ (best of `restarts` by inertia) on a sample of users
///    picked by a hash of their id (independent of input order) for each k in `kRange`, scored by
///    the mean silhouette `s = (b − a) / max(a, b)` (a: mean distance to the own cluster, b: to the
///    nearest other) over the `silhouetteSize` sampled users with the most evidence; the best score
///    wins, ties to the smaller k.
/// 3. k-means on all users (weights `min(distinct active hours, 20)`, so a user seen twice does not pull a
///    centroid as hard as a regular), starting from the sample's centroids.
/// 4. Identities: new centroids are matched to the previous run's, closest pairs first, while the
///    distance is below `matchDistance`; matched segments keep their id, others get new ids.
///    Without a previous run, ids are 1…k by decreasing size.
/// 5. Summaries, the resource allocation map (segment → share of its activity per region), and
///    drift against the previous assignment.
public struct Segmenter: Sendable {
    /// A fixed number of segments; nil chooses it from the data.
    public var k: Int?
    public var kRange: ClosedRange<Int> = 2...12
    public var sampleSize = 8000
    /// k-means++ seedings tried per k while choosing k.
    public var restarts = 4
    /// Points of the sample scored by the (quadratic) silhouette.
    public var silhouetteSize = 3000
    public var seed: UInt64 = 1
    public var matchDistance: Float = 0.45
    public var halfLifeDays: Double = 14

    public init(k: Int? = nil, seed: UInt64 = 1, halfLifeDays: Double = 14) {
        self.k = k; self.seed = seed; self.halfLifeDays = halfLifeDays
    }

    public struct Output: Sendable {
        public var segmentation: Segmentation
        /// Segment id per input profile (nil: no activity).
        public var assignments: [Int32?]
    }

    public func run(_ profiles: [UserProfile], previous: Segmentation? = nil,
                    previousAssignment: (String) -> Int32? = { _ in nil }, now: Timestamp) -> Output {
        let space = previous?.space ?? BehaviourSpace.fitted(to: profiles)
        let d = space.dimensions
        var points: [Float] = []
        points.reserveCapacity(profiles.count * d)
        var weights: [Float] = []
        var owners: [Int] = []
        var row = [Float](repeating: 0, count: d)
        for (i, p) in profiles.enumerated() where space.embed(p, into: &row) {
            points.append(contentsOf: row)
            weights.append(min(BehaviourSpace.evidence(p), 20))
            owners.append(i)
        }
        let n = owners.count
        let rng = SplitMix64(seed: seed)
        guard n > 0 else {
            return Output(segmentation: Segmentation(createdAt: now, space: space, segments: [], kChoice: "no active users",
                                                     silhouette: [:], drift: nil, unassigned: profiles.count),
                          assignments: [Int32?](repeating: nil, count: profiles.count))
        }

        // Sample for choosing k and seeding: users whose id hashes below a threshold, so the sample
        // does not depend on the order profiles come in (nor on the process: a fixed hash).
        let keep = n <= sampleSize ? UInt64.max : UInt64(Double(UInt64.max) * min(1, Double(sampleSize) * 1.05 / Double(n)))
        var sampleIdx = (0..<n).filter { Self.userHash(profiles[owners[$0]].user, seed: seed) <= keep }
        sampleIdx.sort { profiles[owners[$0]].user < profiles[owners[$1]].user }
        if sampleIdx.count > sampleSize { sampleIdx = Array(sampleIdx.prefix(sampleSize)) }
        var sample: [Float] = []
        sample.reserveCapacity(sampleIdx.count * d)
        for i in sampleIdx { sample.append(contentsOf: points[(i * d)..<(i * d + d)]) }
        let sampleWeights = sampleIdx.map { weights[$0] }

        // Silhouette rows: sampled users with the most evidence (a user seen twice sits between
        // segments by chance and blurs every score alike), up to `silhouetteSize`; their pairwise
        // distances are computed once and serve every k.
        let scoredRows = Array(sampleIdx.indices.sorted { (sampleWeights[$0], -$0) > (sampleWeights[$1], -$1) }.prefix(silhouetteSize)).sorted()
        let pairwise = Self.pairwiseDistances(points: sample, rows: scoredRows, d: d)
        var scores: [Int: Double] = [:]
        var chosen: (k: Int, centroids: [[Float]])
        let ks = k.map { [$0] } ?? Array(kRange.filter { $0 <= sampleIdx.count })
        var best: (score: Double, k: Int, centroids: [[Float]])?
        for kk in ks {
            // Best of `restarts` seedings by weighted inertia: one k-means++ draw can land in a poor optimum.
            var bestFit: KMeans.Result?
            var bestInertia = Double.infinity
            for attempt in 0..<restarts {
                var r = rng.derive(UInt64(kk) &* 131 &+ UInt64(attempt))
                let f = KMeans(k: kk).fit(points: sample, n: sampleIdx.count, d: d, weights: sampleWeights, rng: &r)
                let inertia = zip(f.distances, sampleWeights).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                if inertia < bestInertia { bestInertia = inertia; bestFit = f }
            }
            let fit = bestFit!
            let s = Self.silhouette(distances: pairwise, labels: scoredRows.map { fit.assignments[$0] }, k: kk)
            scores[kk] = s
            if best == nil || s > best!.score + 1e-9 { best = (s, kk, fit.centroids) }
        }
        chosen = (best!.k, best!.centroids)

        var fitRng = rng.derive(0xF17)
        let fit = KMeans(k: chosen.k).fit(points: points, n: n, d: d, weights: weights, initial: chosen.centroids, rng: &fitRng)

        // Cluster sizes and identities.
        var sizes = [Int](repeating: 0, count: fit.centroids.count)
        for a in fit.assignments { sizes[Int(a)] += 1 }
        let ids = Self.identities(centroids: fit.centroids, sizes: sizes, previous: previous, matchDistance: matchDistance)

        var assignments = [Int32?](repeating: nil, count: profiles.count)
        for (j, i) in owners.enumerated() { assignments[i] = ids[Int(fit.assignments[j])] }

        let summaries = summarise(profiles, assignments: assignments, centroids: fit.centroids, ids: ids, now: now)
        let drift = previous.map { prev in
            Self.drift(previous: prev, current: summaries, profiles: profiles, assignments: assignments, previousAssignment: previousAssignment)
        }
        let segmentation = Segmentation(createdAt: now, space: space, segments: summaries,
                                        kChoice: k == nil ? "silhouette" : "configured", silhouette: scores,
                                        drift: drift, unassigned: profiles.count - n)
        return Output(segmentation: segmentation, assignments: assignments)
    }

    /// A stable 64-bit hash of a user id, mixed with the seed.
    static func userHash(_ user: String, seed: UInt64) -> UInt64 {
        var h = FNV1a(seed: seed)
        h.add(user.utf8)
        return h.finalized
    }

    /// Euclidean distances between the given rows, row-major m × m.
    static func pairwiseDistances(points: [Float], rows: [Int], d: Int) -> [Float] {
        let m = rows.count
        var out = [Float](repeating: 0, count: m * m)
        let chunks = 8
        out.withUnsafeMutableBufferPointer { oBuf in
            points.withUnsafeBufferPointer { pBuf in
                nonisolated(unsafe) let o = oBuf, p = pBuf
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    for a in (m * c / chunks)..<(m * (c + 1) / chunks) {
                        let i = rows[a] * d
                        for b in 0..<m {
                            let j = rows[b] * d
                            var s: Float = 0
                            for t in 0..<d { let diff = p[i &+ t] - p[j &+ t]; s += diff * diff }
                            o[a * m + b] = s.squareRoot()
                        }
                    }
                }
            }
        }
        return out
    }

    /// Mean silhouette (Rousseeuw 1987) from pairwise distances: `s = (b − a) / max(a, b)` with
    /// `a` the mean distance to the own cluster and `b` the smallest mean distance to another.
    static func silhouette(distances: [Float], labels: [Int32], k: Int) -> Double {
        let m = labels.count
        guard k > 1, m > 1 else { return -1 }
        var counts = [Int](repeating: 0, count: k)
        for l in labels { counts[Int(l)] += 1 }
        var total = 0.0
        var sums = [Double](repeating: 0, count: k)
        for i in 0..<m {
            for c in 0..<k { sums[c] = 0 }
            let base = i * m
            for j in 0..<m { sums[Int(labels[j])] += Double(distances[base + j]) }
            let own = Int(labels[i])
            guard counts[own] > 1 else { continue }
            let a = sums[own] / Double(counts[own] - 1)
            var b = Double.infinity
            for c in 0..<k where c != own && counts[c] > 0 { b = min(b, sums[c] / Double(counts[c])) }
            total += (b - a) / max(a, b)
        }
        return total / Double(m)
    }

    /// Ids for the new clusters: previous ids for close centroids, closest pairs first; new ids after.
    static func identities(centroids: [[Float]], sizes: [Int], previous: Segmentation?, matchDistance: Float) -> [Int32] {
        let order = centroids.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        guard let previous, !previous.segments.isEmpty else {
            var ids = [Int32](repeating: 0, count: centroids.count)
            for (rank, c) in order.enumerated() { ids[c] = Int32(rank + 1) }
            return ids
        }
        var pairs: [(dist: Float, new: Int, old: Int)] = []
        for (i, c) in centroids.enumerated() {
            for (j, s) in previous.segments.enumerated() where s.centroid.count == c.count {
                var d2: Float = 0
                for t in 0..<c.count { d2 += (c[t] - s.centroid[t]) * (c[t] - s.centroid[t]) }
                pairs.append((d2.squareRoot(), i, j))
            }
        }
        pairs.sort { ($0.dist, $0.new, $0.old) < ($1.dist, $1.new, $1.old) }
        var ids = [Int32?](repeating: nil, count: centroids.count)
        var usedOld = Set<Int>()
        for p in pairs where p.dist <= matchDistance && ids[p.new] == nil && !usedOld.contains(p.old) {
            ids[p.new] = previous.segments[p.old].id
            usedOld.insert(p.old)
        }
        var next = (previous.segments.map(\.id).max() ?? 0) + 1
        for c in order where ids[c] == nil { ids[c] = next; next += 1 }
        return ids.map { $0! }
    }

    /// Summaries per segment, in id order.
    func summarise(_ profiles: [UserProfile], assignments: [Int32?], centroids: [[Float]], ids: [Int32], now: Timestamp) -> [SegmentSummary] {
        struct Acc {
            var size = 0
            var rhythm = [Double](repeating: 0, count: 168)
            var regions: [String: Double] = [:]
            var features: [String: Double] = [:]
            var devices = [Double](repeating: 0, count: DeviceClass.allCases.count)
            var minutes = 0.0, cpu = 0.0, memory = 0.0, network = 0.0
            var minutesPerDay = 0.0
        }
        let lambdaPerDay = 0.6931471805599453 / halfLifeDays
        var accs: [Int32: Acc] = [:]
        for (i, p) in profiles.enumerated() {
            guard let id = assignments[i] else { continue }
            var a = accs[id] ?? Acc()
            let total = Double(p.rhythm.reduce(0, +))
            guard total > 0 else { continue }
            // Weight the user's shape by its activity now (decayed to `now`).
            let scale = p.scale(at: now, halfLifeDays: halfLifeDays)
            let activity = total * scale
            a.size += 1
            for h in 0..<168 { a.rhythm[h] += Double(p.rhythm[h]) * scale }
            for r in p.regions { a.regions[r.name, default: 0] += Double(r.weight) * scale }
            for f in p.features { a.features[f.name, default: 0] += Double(f.weight) * scale }
            if p.otherFeatures > 0 { a.features["(other)", default: 0] += Double(p.otherFeatures) * scale }
            for (j, dv) in p.devices.enumerated() { a.devices[j] += Double(dv) * scale }
            a.minutes += activity
            a.cpu += p.cpuMillicoreMinutes * scale
            a.memory += p.memoryMiBMinutes * scale
            a.network += p.networkKbpsMinutes * scale
            a.minutesPerDay += activity * lambdaPerDay
            accs[id] = a
        }
        func shares(_ d: [String: Double], top: Int) -> [SegmentSummary.Share] {
            let t = d.values.reduce(0, +)
            guard t > 0 else { return [] }
            return d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top).map { .init($0.key, $0.value / t) }
        }
        var out: [SegmentSummary] = []
        for (c, id) in ids.enumerated() {
            let a = accs[id] ?? Acc()
            let rt = a.rhythm.reduce(0, +)
            let rhythm = a.rhythm.map { Float(rt > 0 ? $0 / rt : 0) }
            let weekend = rhythm[120...].reduce(0, +)
            var weekdayHours = [Double](repeating: 0, count: 24)
            for day in 0..<5 { for h in 0..<24 { weekdayHours[h] += Double(rhythm[day * 24 + h]) } }
            let peaks = weekdayHours.indices.sorted { weekdayHours[$0] > weekdayHours[$1] }.prefix(3)
            let devTotal = a.devices.reduce(0, +)
            let devices = DeviceClass.allCases.enumerated().map { SegmentSummary.Share($1.rawValue, devTotal > 0 ? a.devices[$0] / devTotal : 0) }
                .filter { $0.share > 0 }.sorted { $0.share > $1.share }.prefix(3)
            let regionTotal = a.regions.values.reduce(0, +)
            out.append(SegmentSummary(
                id: id, size: a.size, centroid: centroids[c], rhythm: rhythm, weekendShare: Double(weekend),
                peakHours: Array(peaks), topRegions: shares(a.regions, top: 3), topFeatures: shares(a.features, top: 3),
                topDevices: Array(devices),
                cpuMillicores: a.minutes > 0 ? a.cpu / a.minutes : 0, memoryMiB: a.minutes > 0 ? a.memory / a.minutes : 0,
                networkKbps: a.minutes > 0 ? a.network / a.minutes : 0,
                minutesPerUserDay: a.size > 0 ? a.minutesPerDay / Double(a.size) : 0,
                allocation: regionTotal > 0 ? a.regions.mapValues { $0 / regionTotal } : [:]))
        }
        return out.sorted { $0.id < $1.id }
    }

    static func drift(previous: Segmentation, current: [SegmentSummary], profiles: [UserProfile], assignments: [Int32?],
                      previousAssignment: (String) -> Int32?) -> SegmentDrift {
        let prevByID = Dictionary(uniqueKeysWithValues: previous.segments.map { ($0.id, $0) })
        let curByID = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0) })
        var changes: [SegmentDrift.Change] = []
        for id in Set(prevByID.keys).union(curByID.keys).sorted() {
            let p = prevByID[id], c = curByID[id]
            var shift = 0.0
            if let p, let c, p.centroid.count == c.centroid.count {
                shift = Double(zip(p.centroid, c.centroid).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot())
            }
            changes.append(.init(id: id, previousSize: p?.size ?? 0, size: c?.size ?? 0, centroidShift: shift))
        }
        var moved = 0, compared = 0
        for (i, p) in profiles.enumerated() {
            guard let now = assignments[i], let before = previousAssignment(p.user) else { continue }
            compared += 1
            if now != before { moved += 1 }
        }
        return SegmentDrift(changes: changes,
                            appeared: curByID.keys.filter { prevByID[$0] == nil }.sorted(),
                            vanished: prevByID.keys.filter { curByID[$0] == nil }.sorted(),
                            usersMoved: moved, usersCompared: compared)
    }
}
