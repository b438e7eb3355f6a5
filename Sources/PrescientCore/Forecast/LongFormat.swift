/// The long table layout Python forecasting tools use: `unique_id,ds,y` in; forecasts out as
/// `unique_id,ds,<model>,<model>-lo-<level>,<model>-hi-<level>,…`; cross-validation as
/// `unique_id,ds,cutoff,y,<model>…` (statsforecast's column names, so results compare directly).
public enum LongFormat {
    /// The non-blank lines of a comma-separated table, numbered from 1, split into trimmed fields
    /// (these tables carry no quoted commas). The first is the header.
    public static func rows(_ text: String) -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingBlanks.isEmpty { continue }
            out.append((lineNo, line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingBlanks }))
        }
        return out
    }

    /// Reads `unique_id,ds,y` rows (a header naming those columns, any order, extra columns
    /// ignored). Rows of one id may come in any order. Empty `y` is a missing value.
    /// - Throws: `FieldError` with the line, for the first bad row.
    public static func parse(_ text: String, timestamps: TimestampParser = TimestampParser()) throws(LongFormatError) -> [String: [(Timestamp, Double)]] {
        var columns: [String: Int] = [:]
        var out: [String: [(Timestamp, Double)]] = [:]
        for (lineNo, fields) in rows(text) {
            if columns.isEmpty {
                for (i, f) in fields.enumerated() { columns[f] = i }
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

    /// One row of a cross-validation table: the forecast of `ds` made with data through `cutoff`.
    public struct CrossValidationRow: Sendable, Equatable {
        public var ds: Timestamp
        public var cutoff: Timestamp
        public var y: Double
        /// Per model: the point forecast.
        public var forecasts: [String: Double]
        /// Per model: quantile level → value, from its `-lo-L` / `-hi-L` columns.
        public var quantiles: [String: [Double: Double]]
    }

    /// Reads statsforecast's cross-validation layout `unique_id,ds,cutoff,y,<model>,<model>-lo-<L>,
    /// <model>-hi-<L>…`, per series id. Empty cells are missing.
    public static func parseCrossValidation(_ text: String, timestamps: TimestampParser = TimestampParser()) throws(LongFormatError) -> [String: [CrossValidationRow]] {
        var header: [String] = []
        var out: [String: [CrossValidationRow]] = [:]
        for (lineNo, fields) in rows(text) {
            if header.isEmpty {
                header = fields
                for c in ["unique_id", "ds", "cutoff", "y"] where !header.contains(c) {
                    throw LongFormatError(line: lineNo, error: FieldError("header", "no '\(c)' column (need unique_id, ds, cutoff, y, then model columns)"))
                }
                continue
            }
            var id = "", ds: Timestamp?, cutoff: Timestamp?, y = Double.nan
            var row = CrossValidationRow(ds: Timestamp(milliseconds: 0), cutoff: Timestamp(milliseconds: 0), y: .nan, forecasts: [:], quantiles: [:])
            for (i, name) in header.enumerated() {
                let v = i < fields.count ? fields[i] : ""
                switch name {
                case "unique_id": id = v
                case "ds", "cutoff":
                    guard case .success(let t) = timestamps.parse(v) else { throw LongFormatError(line: lineNo, error: FieldError(name, "not a time: '\(v)'")) }
                    if name == "ds" { ds = t } else { cutoff = t }
                case "y": y = Double(v) ?? .nan
                case "": continue
                default:
                    let value = Double(v) ?? .nan
                    let parts = name.split(separator: "-", omittingEmptySubsequences: false)
                    if parts.count >= 3, parts[parts.count - 2] == "hi" || parts[parts.count - 2] == "lo", let level = Double(parts[parts.count - 1]) {
                        let model = parts.dropLast(2).joined(separator: "-")
                        let a = (100 - level) / 200
                        row.quantiles[model, default: [:]][ForecastResult.key(parts[parts.count - 2] == "hi" ? 1 - a : a)] = value
                    } else {
                        row.forecasts[name] = value
                    }
                }
            }
            guard !id.isEmpty, let d = ds, let c = cutoff else { throw LongFormatError(line: lineNo, error: FieldError("unique_id", "missing id, ds or cutoff")) }
            row.ds = d; row.cutoff = c; row.y = y
            out[id, default: []].append(row)
        }
        return out
    }

    /// The series of a parsed table, regularised on `step` seconds (or each series' most common
    /// gap), sorted by id.
    public static func series(_ table: [String: [(Timestamp, Double)]], step: Int64?) throws(SeriesError) -> [RegularSeries] {
        var out: [RegularSeries] = []
        for id in table.keys.sorted() { out.append(try RegularSeries.regularise(id: id, observations: table[id]!, step: step)) }
        return out
    }

    /// Rows of the forecast layout for one series: one per step after its end.
    public static func forecastRows(_ series: RegularSeries, models: [(name: String, result: ForecastResult)], levels: [Double], into out: inout String) {
        guard let horizon = models.first?.result.mean.count else { return }
        for h in 0..<horizon {
            out += series.id + "," + dateTime(series.time(at: series.values.count + h))
            for (_, r) in models {
                out += "," + number(r.mean[h])
                for l in levels.sorted() {
                    let i = r.interval(level: l)
                    out += "," + number(i?.lo[h] ?? .nan) + "," + number(i?.hi[h] ?? .nan)
                }
            }
            out += "\n"
        }
    }

    /// `unique_id,ds,cutoff,y,<model>[,<model>-lo-<l>,<model>-hi-<l>]…`.
    public static func crossValidationHeader(models: [String], levels: [Double]) -> String {
        let h = forecastHeader(models: models, levels: levels)
        return "unique_id,ds,cutoff,y" + h.dropFirst("unique_id,ds".count)
    }

    /// Rows of the cross-validation layout for one series' backtest; `cutoff` is the time of the
    /// last observation the forecast saw (statsforecast's convention).
    public static func crossValidationRows(_ series: RegularSeries, rows: [Backtest.Row], models: [String], levels: [Double], into out: inout String) {
        for r in rows {
            out += series.id + "," + dateTime(series.time(at: r.index)) + "," + dateTime(series.time(at: r.cutoff - 1)) + "," + number(r.actual)
            for m in models {
                out += "," + number(r.forecasts[m] ?? .nan)
                for l in levels.sorted() {
                    let a = (100 - l) / 200
                    out += "," + number(r.quantiles[m]?[ForecastResult.key(a)] ?? .nan) + "," + number(r.quantiles[m]?[ForecastResult.key(1 - a)] ?? .nan)
                }
            }
            out += "\n"
        }
    }

    /// A frequency as pandas spells it (`1h`, `h`, `30min`, `15T`, `1d`, `D`, `10s`) in seconds.
    public static func frequencySeconds(_ text: String) -> Int64? {
        let t = text.trimmingBlanks.lowercased()
        let digits = t.prefix { $0.isNumber }
        let unit = t.dropFirst(digits.count)
        let n = digits.isEmpty ? 1 : Int64(digits) ?? 0
        guard n > 0 else { return nil }
        switch unit {
        case "s", "sec": return n
        case "min", "t", "m": return n * 60
        case "h", "hour": return n * 3600
        case "d", "day": return n * 86_400
        case "w", "week": return n * 604_800
        default: return nil
        }
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

    /// A time as pandas prints a naive datetime: `YYYY-MM-DD HH:MM:SS` (UTC, or the series' own
    /// local clock when its input was naive).
    public static func dateTime(_ t: Timestamp) -> String {
        let c = CivilTime(epochMilliseconds: t.milliseconds)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// A number as the Python tools print it: shortest round-trip text, `nan` for missing.
    public static func number(_ v: Double) -> String { v.isNaN ? "" : "\(v)" }
}

/// A bad row in a long-format table.
public struct LongFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var error: FieldError
    public init(line: Int, error: FieldError) { self.line = line; self.error = error }
    public var description: String { "\(line): \(error.field): \(error.reason)" }
}
