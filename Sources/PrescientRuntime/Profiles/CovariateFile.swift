import Foundation
import PrescientCore

/// Reads hourly covariates: a CSV with a header naming `region`, `ds` (the hour, any accepted
/// timestamp form), `rain_mm`, and optionally `event` — the `covariates.csv` that `generate` writes.
public enum CovariateFile {
    public static func load(_ path: String) throws(RuntimeError) -> CovariateTable {
        let reader = LineReader(source: try InputFile.open(path), maxLineBytes: 1 << 16)
        var table = CovariateTable()
        var columns: [String: Int] = [:]
        let parser = TimestampParser()
        while let line = try reader.next() {
            guard case .text(let bytes) = line else {
                throw RuntimeError(.badInput, "\(path):\(reader.lineNumber): line: too long")
            }
            let fields = String(decoding: bytes, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if columns.isEmpty {
                for (i, f) in fields.enumerated() { columns[f] = i }
                for required in ["region", "ds", "rain_mm"] where columns[required] == nil {
                    throw RuntimeError(.badInput, "\(path):1: header: no '\(required)' column (need region, ds, rain_mm[, event])")
                }
                continue
            }
            if fields.count == 1 && fields[0].isEmpty { continue }
            func field(_ name: String) -> String? { columns[name].flatMap { $0 < fields.count ? fields[$0] : nil } }
            guard let region = field("region"), !region.isEmpty else {
                throw RuntimeError(.badInput, "\(path):\(reader.lineNumber): region: missing")
            }
            guard case .success(let t) = parser.parse(field("ds") ?? "") else {
                throw RuntimeError(.badInput, "\(path):\(reader.lineNumber): ds: not a timestamp: '\(field("ds") ?? "")'")
            }
            guard let rain = Float(field("rain_mm") ?? ""), rain >= 0 else {
                throw RuntimeError(.badInput, "\(path):\(reader.lineNumber): rain_mm: not a number ≥ 0: '\(field("rain_mm") ?? "")'")
            }
            let event = field("event").flatMap { $0.isEmpty ? nil : $0 }
            table.set(region: region, hourStarting: t, .init(rainMillimetres: rain, event: event))
        }
        return table
    }
}
