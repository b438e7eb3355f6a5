/// Makes hierarchical forecasts coherent — every parent equals the sum of its children — with the
/// least change where the forecasts are least certain: MinT with a diagonal covariance (WLS).
///
/// Per tree and step, with S the summing matrix (nodes × leaves), W = diag(v_n) the nodes' forecast
/// variances and ŷ the base forecasts, the leaves become `b = (S′W⁻¹S)⁻¹ S′W⁻¹ ŷ` and every node
/// `S b` (a Cholesky solve of a leaves × leaves system, so trees of up to a few hundred leaves).
/// Equal variances give OLS reconciliation. Quantiles shift with their node's mean.
///
/// The hierarchy comes from slash-separated ids, the layout `forecast --store --by-segment` writes:
/// `eu-west/cpu` is the parent of `eu-west/cpu/segment-1` (the longest other id that prefixes an
/// id followed by `/` is its parent).
public enum Reconciliation {
    /// Direct children per parent index, from the ids (parents without children are left out).
    public static func hierarchy(ids: [String]) -> [Int: [Int]] {
        let index = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var children: [Int: [Int]] = [:]
        for (i, id) in ids.enumerated() {
            var parts = id.split(separator: "/", omittingEmptySubsequences: false)
            while parts.count > 1 {
                parts.removeLast()
                if let p = index[parts.joined(separator: "/")] { children[p, default: []].append(i); break }
            }
        }
        return children
    }

    /// The variance a forecast's own quantiles imply per step: `((q90 − q10) / 2.563)²`, else from
    /// whichever symmetric pair it has, else 1 (no spread known: OLS).
    public static func variance(of f: ForecastResult) -> [Double] {
        let pairs = f.quantiles.keys.filter { $0 > 0.5 && f.quantiles[ForecastResult.key(1 - $0)] != nil }.sorted()
        guard let hi = pairs.first(where: { abs($0 - 0.9) < 1e-9 }) ?? pairs.first,
              let upper = f.quantiles[hi], let lower = f.quantiles[ForecastResult.key(1 - hi)] else {
            return [Double](repeating: 1, count: f.mean.count)
        }
        let z = 2 * NormalQuantile.z(hi)
        return f.mean.indices.map { h in max(1e-12, ((upper[h] - lower[h]) / z) * ((upper[h] - lower[h]) / z)) }
    }

    /// Reconciles `forecasts` over the hierarchy `children`, with per-step variances.
    public static func minTrace(_ forecasts: [ForecastResult], variances: [[Double]], children: [Int: [Int]]) -> [ForecastResult] {
        var out = forecasts
        let hasParent = Set(children.values.joined())
        let roots = children.keys.filter { !hasParent.contains($0) }.sorted()
        for root in roots {
            // Nodes of this tree, and each leaf's path from the root.
            var leaves: [Int] = [], paths: [[Int]] = [], nodes: [Int] = []
            func walk(_ n: Int, _ path: [Int]) {
                nodes.append(n)
                let here = path + [n]
                if let kids = children[n], !kids.isEmpty { for k in kids { walk(k, here) } } else { leaves.append(n); paths.append(here) }
            }
            walk(root, [])
            let m = leaves.count
            let horizon = forecasts[root].mean.count
            for h in 0..<horizon {
                var a = [Double](repeating: 0, count: m * m), rhs = [Double](repeating: 0, count: m)
                for i in 0..<m {
                    for n in paths[i] { rhs[i] += forecasts[n].mean[h] / variances[n][h] }
                    for j in i..<m {
                        var v = 0.0
                        for (x, y) in zip(paths[i], paths[j]) where x == y { v += 1 / variances[x][h] }
                        a[i * m + j] = v; a[j * m + i] = v
                    }
                }
                guard let b = choleskySolve(a, rhs, m) else { continue }
                var leafValue: [Int: Double] = [:]
                for i in 0..<m { leafValue[leaves[i]] = b[i] }
                func total(_ n: Int) -> Double {
                    if let kids = children[n], !kids.isEmpty { return kids.reduce(0) { $0 + total($1) } }
                    return leafValue[n] ?? 0
                }
                for n in nodes {
                    let shift = total(n) - forecasts[n].mean[h]
                    out[n].mean[h] += shift
                    for k in out[n].quantiles.keys { out[n].quantiles[k]![h] += shift }
                }
            }
        }
        return out
    }

    /// Solves `A x = b` for a symmetric positive definite `A` (row-major, n × n); nil if not SPD.
    static func choleskySolve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}
