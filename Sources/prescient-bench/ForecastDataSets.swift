import Foundation
import PrescientCore
import PrescientRuntime

/// The real hourly series of ../shared/data, in the long `unique_id,ds,y` layout the forecasting
/// benchmark feeds to Prescient and to the Python anchors alike (gaps are left empty).
enum ForecastDataSets {
    struct DataSet {
        var name: String
        var file: String
        var series: [RegularSeries]
    }

    static func all(data: String) -> [DataSet] {
        var sets: [DataSet] = []
        do { sets.append(DataSet(name: "NASA Jul–Aug 1995, requests per hour", file: "nasa", series: [try nasaHourly(data + "/nasa-http-per-second/nasa_requests_per_minute_DERIVED.csv.gz")])) }
        catch { print("forecast: NASA data unreadable: \(error)") }
        do { sets.append(DataSet(name: "Melbourne 7 sensors, pedestrians per hour", file: "melbourne", series: try melbourne(data + "/melbourne-pedestrian-hourly-2016/hourly_peds.csv.gz"))) }
        catch { print("forecast: Melbourne data unreadable: \(error)") }
        do { sets.append(DataSet(name: "Online Retail, invoice lines per hour", file: "retail", series: try retail(data + "/uci-online-retail/online_retail.csv.gz"))) }
        catch { print("forecast: retail data unreadable: \(error)") }
        return sets
    }

    /// Writes `<dir>/<file>.csv` per set; returns the paths.
    static func export(_ sets: [DataSet], to dir: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return try sets.map { set in
            var text = "unique_id,ds,y\n"
            for s in set.series {
                for (i, v) in s.values.enumerated() { text += "\(s.id),\(LongFormat.dateTime(s.time(at: i))),\(LongFormat.number(v))\n" }
            }
            let path = dir + "/" + set.file + ".csv"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    /// Hourly sums of the per-minute NASA counts (UTC hours; hours without data are gaps).
    static func nasaHourly(_ path: String) throws -> RegularSeries {
        var hours: [Int64: Double] = [:]
        try forEachLine(path) { f in
            guard f.count == 2, let v = Double(f[1]), case .success(let t) = TimestampParser().parse(String(f[0])) else { return }
            hours[t.milliseconds / 3_600_000, default: 0] += v
        }
        return try RegularSeries.regularise(id: "nasa", observations: hours.map { (Timestamp(milliseconds: $0.key * 3_600_000), $0.value) }, step: 3600)
    }

    /// The seven sensors, Melbourne local time read on a fixed hourly grid (missing hours are gaps).
    static func melbourne(_ path: String) throws -> [RegularSeries] {
        var bySensor: [String: [(Timestamp, Double)]] = [:]
        let parser = TimestampParser()
        try forEachLine(path) { f in
            guard f.count >= 10, let v = Double(f[9]), case .success(let t) = parser.parse(String(f[0])) else { return }
            let id = f[8].replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
            bySensor[id, default: []].append((t, v))
        }
        return try bySensor.keys.sorted().map { try RegularSeries.regularise(id: $0, observations: bySensor[$0]!, step: 3600) }
    }

    /// Invoice lines per hour (UK local time), United Kingdom and all other countries; an hour
    /// without a line is a zero (the shop was closed), not a gap.
    static func retail(_ path: String) throws -> [RegularSeries] {
        var uk: [Int64: Double] = [:], other: [Int64: Double] = [:]
        let parser = TimestampParser()
        var lo = Int64.max, hi = Int64.min
        try forEachLine(path) { f in
            // The description may hold commas: count the fixed fields from the end.
            guard f.count >= 8, case .success(let t) = parser.parse(String(f[f.count - 4])) else { return }
            let hour = t.milliseconds / 3_600_000
            lo = min(lo, hour); hi = max(hi, hour)
            if f[f.count - 1] == "United Kingdom" { uk[hour, default: 0] += 1 } else { other[hour, default: 0] += 1 }
        }
        guard lo <= hi else { throw SeriesError(series: "retail", reason: "no rows") }
        func series(_ id: String, _ counts: [Int64: Double]) -> RegularSeries {
            RegularSeries(id: id, start: Timestamp(milliseconds: lo * 3_600_000), stepSeconds: 3600,
                          values: (lo...hi).map { counts[$0] ?? 0 })
        }
        return [series("United_Kingdom", uk), series("Other_countries", other)]
    }

    private static func forEachLine(_ path: String, _ body: ([Substring]) -> Void) throws {
        let reader = LineReader(source: try InputFile.open(path))
        var header = true
        while let line = try reader.next() {
            guard case .text(let b) = line else { continue }
            if header { header = false; continue }
            let s = String(decoding: b, as: UTF8.self)
            body(s.split(separator: ",", omittingEmptySubsequences: false))
        }
    }
}
