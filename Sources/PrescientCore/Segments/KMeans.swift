import Dispatch

/// Weighted k-means (Lloyd's algorithm) with k-means++ seeding, on row-major Float points.
///
/// Deterministic for a seed: seeding draws from `SplitMix64`, and the parallel assignment step
/// splits the points into fixed chunks whose partial sums are added in chunk order.
public struct KMeans: Sendable {
    public var k: Int
    public var maxIterations = 30
    /// Stop when no centroid moves more than this (squared distance).
    public var tolerance: Float = 1e-6
    public var chunks = 8

    public init(k: Int) { self.k = k }

    public struct Result: Sendable {
        public var centroids: [[Float]]
        public var assignments: [Int32]
        /// Squared distance of each point to its centroid.
        public var distances: [Float]
        public var iterations: Int
    }

    /// Clusters `n` points of `d` dimensions stored row-major in `points`.
    /// - Parameters:
    ///   - weights: per point (nil: all 1).
    ///   - initial: starting centroids (nil: k-means++ from `rng`).
    public func fit(points: [Float], n: Int, d: Int, weights: [Float]? = nil, initial: [[Float]]? = nil,
                    rng: inout SplitMix64) -> Result {
        precondition(points.count == n * d && n > 0)
        let k = min(self.k, n)
        var centroids = initial.map { Array($0.prefix(k)) } ?? Self.seed(points: points, n: n, d: d, k: k, weights: weights, rng: &rng)
        var assignments = [Int32](repeating: 0, count: n)
        var distances = [Float](repeating: 0, count: n)
        var iterations = 0
        for it in 0..<maxIterations {
            iterations = it + 1
            let (sums, counts) = assign(points: points, n: n, d: d, centroids: centroids, weights: weights,
                                        assignments: &assignments, distances: &distances)
            var moved: Float = 0
            for c in 0..<centroids.count {
                guard counts[c] > 0 else {
                    // Empty cluster: restart it at the point farthest from its centroid.
                    if let far = distances.indices.max(by: { distances[$0] < distances[$1] }) {
                        centroids[c] = Array(points[(far * d)..<(far * d + d)])
                        distances[far] = 0
                        moved = .infinity
                    }
                    continue
                }
                var shift: Float = 0
                for j in 0..<d {
                    let v = Float(sums[c * d + j] / counts[c])
                    shift += (v - centroids[c][j]) * (v - centroids[c][j])
                    centroids[c][j] = v
                }
                moved = max(moved, shift)
            }
            if moved <= tolerance { break }
        }
        _ = assign(points: points, n: n, d: d, centroids: centroids, weights: weights, assignments: &assignments, distances: &distances)
        return Result(centroids: centroids, assignments: assignments, distances: distances, iterations: iterations)
    }

    /// Assigns every point to its nearest centroid; returns weighted coordinate sums and weights per cluster.
    func assign(points: [Float], n: Int, d: Int, centroids: [[Float]], weights: [Float]?,
                assignments: inout [Int32], distances: inout [Float]) -> (sums: [Double], counts: [Double]) {
        let k = centroids.count
        let flat = centroids.flatMap { $0 }
        let chunkCount = max(1, min(chunks, n))
        let partial = ConcurrentSlots<[Double]>(count: chunkCount, initial: [])
        assignments.withUnsafeMutableBufferPointer { aBuf in
            distances.withUnsafeMutableBufferPointer { dBuf in
                points.withUnsafeBufferPointer { pBuf in
                    flat.withUnsafeBufferPointer { cBuf in
                        nonisolated(unsafe) let a = aBuf, dist = dBuf, p = pBuf, c = cBuf
                        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                            var local = [Double](repeating: 0, count: k * d + k)
                            for i in (n * chunk / chunkCount)..<(n * (chunk + 1) / chunkCount) {
                                var best = Float.infinity, bestC = 0
                                let row = i * d
                                for cc in 0..<k {
                                    var s: Float = 0
                                    let base = cc * d
                                    for j in 0..<d { let diff = p[row &+ j] - c[base &+ j]; s += diff * diff }
                                    if s < best { best = s; bestC = cc }
                                }
                                a[i] = Int32(bestC)
                                dist[i] = best
                                let w = Double(weights?[i] ?? 1)
                                for j in 0..<d { local[bestC * d + j] += w * Double(p[row &+ j]) }
                                local[k * d + bestC] += w
                            }
                            partial.set(chunk, local)
                        }
                    }
                }
            }
        }
        var total = [Double](repeating: 0, count: k * d + k)
        for part in partial.values { for i in 0..<total.count { total[i] += part[i] } }
        return (Array(total[0..<(k * d)]), Array(total[(k * d)...]))
    }

    /// k-means++: the first centroid uniformly (by weight), each next with probability ∝ w·D².
    static func seed(points: [Float], n: Int, d: Int, k: Int, weights: [Float]?, rng: inout SplitMix64) -> [[Float]] {
        func row(_ i: Int) -> [Float] { Array(points[(i * d)..<(i * d + d)]) }
        var centroids = [row(rng.nextInt(below: n))]
        var best = [Float](repeating: .infinity, count: n)
        while centroids.count < k {
            let c = centroids[centroids.count - 1]
            var total = 0.0
            for i in 0..<n {
                var s: Float = 0
                for j in 0..<d { let diff = points[i * d + j] - c[j]; s += diff * diff }
                best[i] = min(best[i], s)
                total += Double(best[i]) * Double(weights?[i] ?? 1)
            }
            guard total > 0 else { break }
            var u = rng.nextUnit() * total
            var pick = n - 1
            for i in 0..<n {
                u -= Double(best[i]) * Double(weights?[i] ?? 1)
                if u <= 0 { pick = i; break }
            }
            centroids.append(row(pick))
        }
        return centroids
    }
}
