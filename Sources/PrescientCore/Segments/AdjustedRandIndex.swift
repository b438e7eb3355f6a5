/// The adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985):
/// `ARI = (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E)` with `E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2)`.
/// 1 for identical partitions (up to renaming), about 0 for independent ones.
public func adjustedRandIndex<A: Hashable, B: Hashable>(_ a: [A], _ b: [B]) -> Double {
    precondition(a.count == b.count)
    let n = a.count
    guard n > 1 else { return 1 }
    var table: [A: [B: Int]] = [:]
    var rows: [A: Int] = [:], cols: [B: Int] = [:]
    for i in 0..<n {
        table[a[i], default: [:]][b[i], default: 0] += 1
        rows[a[i], default: 0] += 1
        cols[b[i], default: 0] += 1
    }
    func c2(_ x: Int) -> Double { Double(x) * Double(x - 1) / 2 }
    let index = table.values.reduce(0.0) { acc, row in acc + row.values.reduce(0.0) { $0 + c2($1) } }
    let sa = rows.values.reduce(0.0) { $0 + c2($1) }
    let sb = cols.values.reduce(0.0) { $0 + c2($1) }
    let expected = sa * sb / c2(n)
    let maxIndex = (sa + sb) / 2
    guard maxIndex != expected else { return 1 }
    return (index - expected) / (maxIndex - expected)
}
