/// The long table layout Python forecasting tools use: `unique_id,ds,y` in; forecasts out as
/// `unique_id,ds,<model>,<model>-lo-<level>,<model>-hi-<level>,…`; cross-validation as
/// `unique_id,ds,cutoff,y,<model>…` (statsforecast's column names, so results compare directly).
public enum LongFormat {
    /// Reads `unique_id,ds,y` rows (a header naming those columns, any order, extra columns
    /// ignored). Rows of one id may come in any order. Empty `y` is a missing value.
    /// - Throws: `FieldError` with the line, for the first bad row.
    public static func parse(_ text: String, timestamps: TimestampParser = TimestampParser()) throws(LongFormatError) -> [String: [(Timestamp, Double)]] {
        var columns: [String: Int] = [:]
        var out: [String: [(Timestamp, Double)]] = [:]
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if columns.isEmpty {
                for (i, f) in fields.enumerated() { columns[f.trimmingBlanks] = i }
                for c in ["unique_id", "ds", "y"] where columns[c] == nil {
                    throw LongFormatError(line: lineNo, error: FieldError("header", "no '\(c)' column (need unique_id, ds, y)"))
                }
                continue
            }
            func field(_ c: String) -> String { columns[c].map { $0 < fields.count ? fields[$0] : "" } ?? "" }
            let id = field("unique_id")
            guard !id.isEmpty else { throw LongFormatError(line: lineNo, error: FieldError("unique_id", "empty")) }
            let t: Timestamp
            switch timestamps.parse(field("ds")) {
            case .success(let v): t = v
            case .failure(let e): throw LongFormatError(line: lineNo, error: FieldError("ds", e.reason))
            }
            let ys = field("y")
            let y: Double
            if ys.isEmpty { y = .nan } else {
                guard let v = Double(ys), v.isFinite else { throw LongFormatError(line: lineNo, error: FieldError("y", "not a number: '\(ys)'")) }
                y = v
            }
            out[id, default: []].append((t, y))
        }
        if columns.isEmpty { throw LongFormatError(line: 1, error: FieldError("header", "empty input")) }
        return out
    }

    /// `unique_id,ds,<model>[,<model>-lo-<l>,<model>-hi-<l>]…` for each model and level.
    public static func forecastHeader(models: [String], levels: [Double]) -> String {
        var cols = ["unique_id", "ds"]
        for m in models {
            cols.append(m)
            for l in levels.sorted() { cols.append("\(m)-lo-\(levelName(l))"); cols.append("\(m)-hi-\(levelName(l))") }
        }
        return cols.joined(separator: ",")
    }

    static func levelName(_ l: Double) -> String { l == l.rounded() ? String(Int(l)) : String(l) }

    /// A number as the Python tools print it: shortest round-trip text, `nan` for missing.
    public static func number(_ v: Double) -> String { v.isNaN ? "" : "\(v)" }
}

/// A bad row in a long-format table.
public struct LongFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var error: FieldError
    public var description: String { "\(line): \(error.field): \(error.reason)" }
}
