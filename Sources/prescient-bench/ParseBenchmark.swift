import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSim

/// JSON Lines hot path: the hand-written scanner (parse only, and parse + normalise into `Event`)
/// against `JSONDecoder` decoding the same lines into a Codable struct, one core, same run.
enum ParseBenchmark {
    struct CodableEvent: Decodable {
        var ts: String
        var user: String
        var region: String
        var feature: String
        var device: String
        var duration_s: Double
        var bytes: Int64
        var cpu_ms: Double?
        var mem_mb: Double?
        var id: String?
    }

    static let trials = 5

    static func run(events count: Int) {
        let lines = sampleLines(count)
        let totalBytes = lines.reduce(0) { $0 + $1.count }
        print("parse: \(lines.count) synthetic events, \(Formatting.bytes(totalBytes)) of JSON Lines, one core, best of \(trials) trials")

        let parser = JSONLineParser()
        var normalizer = EventNormalizer(config: .default)
        // Warm-up.
        for l in lines.prefix(10_000) { l.withUnsafeBytes { _ = try? parser.parse($0) } }

        var checksum = 0
        let decoder = JSONDecoder()
        let baselineLines = lines.prefix(max(10_000, lines.count / 5)).map { Data($0) }
        // Interleaved trials, best of each: a busy neighbour slows a trial, never speeds it up.
        var parseSeconds = Double.infinity, fullSeconds = Double.infinity, decoderSeconds = Double.infinity
        for _ in 0..<trials {
            let t0 = monotonicSeconds()
            for l in lines {
                l.withUnsafeBytes { p in
                    if let e = try? parser.parse(p) { checksum &+= Int(e.bytes ?? 0) }
                }
            }
            parseSeconds = min(parseSeconds, monotonicSeconds() - t0)

            let t1 = monotonicSeconds()
            for l in lines {
                l.withUnsafeBytes { p in
                    if let raw = try? parser.parse(p), case .success(let e) = normalizer.normalize(raw, labels: parser.labels) {
                        checksum &+= Int(e.bytes)
                    }
                }
            }
            fullSeconds = min(fullSeconds, monotonicSeconds() - t1)

            let t2 = monotonicSeconds()
            for d in baselineLines {
                if let e = try? decoder.decode(CodableEvent.self, from: d) { checksum &+= Int(e.bytes) }
            }
            decoderSeconds = min(decoderSeconds, monotonicSeconds() - t2)
        }

        let parseRate = Double(lines.count) / parseSeconds
        let fullRate = Double(lines.count) / fullSeconds
        let decoderRate = Double(baselineLines.count) / decoderSeconds
        print("  scanner, parse only           \(pad(Formatting.rate(parseRate))) events/s   \(Formatting.format1(parseRate / decoderRate))× JSONDecoder")
        print("  scanner, parse + normalise    \(pad(Formatting.rate(fullRate))) events/s   \(Formatting.format1(fullRate / decoderRate))× JSONDecoder")
        print("  baseline JSONDecoder (Codable) \(pad(Formatting.rate(decoderRate))) events/s")
        print("  target ≥ 1M events/s (parse + normalise): \(fullRate >= 1_000_000 ? "met" : "NOT met")   [checksum \(checksum & 0xFFFF)]")
    }

    /// Canonical event lines from the synthetic population (first day of enough users).
    static func sampleLines(_ count: Int) -> [[UInt8]] {
        let spec = PopulationSpec(users: max(1000, count / 2), days: 1, start: Timestamp(seconds: 1_772_409_600),
                                  regions: PrescientConfig.default.regions, features: PrescientConfig.default.features, seed: 1)
        let g = PopulationGenerator(spec: spec)
        var lines: [[UInt8]] = []
        var day = 0
        while lines.count < count {
            for e in g.day(day % spec.days) where lines.count < count {
                var out: [UInt8] = []
                g.appendJSONLine(e, to: &out)
                out.removeLast() // newline
                lines.append(out)
            }
            day += 1
        }
        return lines
    }

    static func pad(_ s: String) -> String { String(repeating: " ", count: max(0, 8 - s.count)) + s }
}
