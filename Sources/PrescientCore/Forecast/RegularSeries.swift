/// One equally spaced series: `values[i]` is the observation at `start + i·step` (`.nan` = missing).
public struct RegularSeries: Sendable, Equatable {
    public var id: String
    public var start: Timestamp
    public var stepSeconds: Int64
    public var values: [Double]

    public init(id: String, start: Timestamp, stepSeconds: Int64, values: [Double]) {
        self.id = id; self.start = start; self.stepSeconds = stepSeconds; self.values = values
    }

    public func time(at i: Int) -> Timestamp { Timestamp(milliseconds: start.milliseconds + Int64(i) * stepSeconds * 1000) }

    /// Builds a regular series from (time, value) observations in any order: the step is `step`
    /// when given, else the most common gap between consecutive distinct times; missing steps become
    /// `.nan`. Throws the first problem found: a duplicate time, or a time off the step grid.
    public static func regularise(id: String, observations: [(Timestamp, Double)], step: Int64? = nil) throws(SeriesError) -> RegularSeries {
        let sorted = observations.sorted { $0.0 < $1.0 }
        guard let first = sorted.first else { throw SeriesError(series: id, reason: "no observations") }
        var gaps: [Int64: Int] = [:]
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let d = (b.0.milliseconds - a.0.milliseconds) / 1000
            if d == 0 { throw SeriesError(series: id, reason: "two values at \(a.0.rfc3339)") }
            gaps[d, default: 0] += 1
        }
        let s = step ?? gaps.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? 3600
        guard s > 0 else { throw SeriesError(series: id, reason: "step must be positive") }
        let last = sorted[sorted.count - 1].0
        let n = Int((last.milliseconds - first.0.milliseconds) / 1000 / s) + 1
        var values = [Double](repeating: .nan, count: n)
        for (t, v) in sorted {
            let offset = (t.milliseconds - first.0.milliseconds) / 1000
            guard offset % s == 0 else {
                throw SeriesError(series: id, reason: "\(t.rfc3339) is off the \(s) s grid that starts at \(first.0.rfc3339)")
            }
            values[Int(offset / s)] = v
        }
        return RegularSeries(id: id, start: first.0, stepSeconds: s, values: values)
    }
}

/// Why a series could not be read or regularised.
public struct SeriesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var series: String
    public var reason: String
    public init(series: String, reason: String) { self.series = series; self.reason = reason }
    public var description: String { "series '\(series)': \(reason)" }
}
