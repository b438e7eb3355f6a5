import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSQLite

/// Segmentation quality on a generated population: ARI of the recovered segments against the
/// ground truth in users.csv, for a store built by `prescient ingest`.
enum SegmentExperiment {
    static func run(store path: String, users csv: String, k: Int?) throws {
        let store = try SQLiteProfileStore(path: path)
        let profiles = try store.allProfiles()
        var truth: [String: String] = [:]
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        guard let header = lines.first, header.hasPrefix("user,segment") else {
            throw RuntimeError(.badInput, "\(csv):1: expected the generator's users.csv (header 'user,segment,…'), found '\(lines.first?.prefix(40) ?? "")'")
        }
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            if f.count >= 2 { truth[String(f[0])] = String(f[1]) }
        }
        let now = try store.newestEventTime() ?? Timestamp(milliseconds: 0)
        let t0 = monotonicSeconds()
        let out = Segmenter(k: k, seed: 1).run(profiles, now: now)
        let seconds = monotonicSeconds() - t0
        var a: [String] = [], b: [Int32] = []
        for (i, p) in profiles.enumerated() { if let s = out.assignments[i], let t = truth[p.user] { a.append(t); b.append(s) } }
        guard !a.isEmpty else { throw RuntimeError(.badInput, "\(csv): none of the store's \(profiles.count) users is in the ground truth") }
        print("segment: \(profiles.count) profiles (\(a.count) with ground truth), k \(out.segmentation.segments.count), ARI \(Formatting.fixed(adjustedRandIndex(a, b), 3)), \(Formatting.seconds(seconds))")
        print("  silhouette " + out.segmentation.silhouette.sorted { $0.key < $1.key }.map { "\($0.key):\(Formatting.format2($0.value))" }.joined(separator: " "))
    }
}

