import Foundation
import PrescientCore
import PrescientRuntime

/// Forecasting speed: series per second on one core for 8 weeks of hourly history and h = 24, on
/// windows cut from the real hourly series (each window a different series), default model and its
/// baselines. The Python anchors' seconds per series come from scripts/forecast-bench.sh.
enum ForecastSpeed {
    static func windows(data: String, count: Int) -> [[Double]] {
        let sets = ForecastDataSets.all(data: data).flatMap(\.series)
        let length = 8 * 168
        var out: [[Double]] = []
        var offset = 0
        while out.count < count {
            var added = false
            for s in sets where s.values.count >= length + offset {
                let start = s.values.count - length - offset
                out.append(Array(s.values[start..<(start + length)]))
                added = true
                if out.count == count { break }
            }
            if !added { offset = 0 } else { offset += 24 }
        }
        return out
    }

    static func run(data: String, count: Int, export: String?) {
        let series = windows(data: data, count: count)
        if let path = export {
            // The same windows for the Python anchors' timing, on a made-up hourly clock.
            var text = "unique_id,ds,y\n"
            for (i, s) in series.prefix(50).enumerated() {
                for (t, v) in s.enumerated() { text += "w\(i),\(LongFormat.dateTime(Timestamp(milliseconds: Int64(t) * 3_600_000))),\(LongFormat.number(v))\n" }
            }
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        print("forecast speed: \(series.count) series × 1344 hourly values, h = 24, quantiles p10 p50 p90 p99, one core")
        for model in ForecastModels.all() {
            let t0 = monotonicSeconds()
            var checksum = 0.0
            for s in series { checksum += model.forecast(history: s, horizon: 24, quantiles: [0.1, 0.5, 0.9, 0.99]).mean[23] }
            let dt = monotonicSeconds() - t0
            print("  \(model.name.padding(toLength: 17, withPad: " ", startingAt: 0)) \(Formatting.fixed(Double(series.count) / dt, 0).leftPadded(8)) series/s  (\(Formatting.fixed(dt / Double(series.count) * 1000, 3)) ms each; checksum \(Formatting.fixed(checksum, 0)))")
        }
    }
}
