import PrescientCore
import PrescientRuntime

/// `GET /`: a self-contained page (inline SVG, no scripts, no network) that reloads itself every
/// 30 s: per region, the last 24 h of CPU demand and ready capacity and the next 24 h of forecast
/// (p50, p90), in 30-minute steps; the latest decisions with their reasons.
enum Dashboard {
    static let colours = (actual: "#1f77b4", capacity: "#2ca02c", p50: "#ff7f0e", p90: "#d62728")

    static func page(_ s: ControlLoop.Snapshot, config: PrescientConfig) -> HTTPResponse {
        var h = """
        <!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
        <title>Prescient</title><style>body{font:14px sans-serif;margin:20px}h2{font-size:16px;margin:18px 0 4px}
        td{padding:2px 8px;vertical-align:top;font-size:12px}.legend span{margin-right:14px}</style></head><body>
        <h1>Prescient</h1><p>\(s.ticks) control steps; last \(s.lastTick?.rfc3339 ?? "never"); fleet cost so far \(Formatting.fixed(s.cost, 2))</p>
        <p class="legend"><span style="color:\(colours.actual)">■ demand</span><span style="color:\(colours.capacity)">■ ready capacity</span><span style="color:\(colours.p50)">■ forecast p50</span><span style="color:\(colours.p90)">■ forecast p90</span> (vCPU; 24 h back, 24 h ahead)</p>
        """
        for region in config.regionNames {
            h += "<h2>\(SVGChart.escapeHTML(region))</h2>"
            h += SVGChart.lines(series(s, region: region))
        }
        h += "<h2>Latest decisions</h2><table>"
        for d in s.decisions.suffix(20).reversed() {
            h += "<tr><td>\(d.time.rfc3339)</td><td>\(SVGChart.escapeHTML(d.region))</td><td>\(d.delta > 0 ? "+" : "")\(d.delta) \(SVGChart.escapeHTML(d.instanceType))</td><td>\(SVGChart.escapeHTML(d.reason))</td></tr>"
        }
        h += "</table></body></html>\n"
        return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", text: h)
    }

    /// 96 half-hour points: 48 back (demand, capacity), 48 ahead (forecast); NaN where a line has no value.
    static func series(_ s: ControlLoop.Snapshot, region: String) -> [(colour: String, values: [Double])] {
        let step = 30, now = s.minute
        var actual = [Double](repeating: .nan, count: 96), capacity = actual, p50 = actual, p90 = actual
        if let trace = s.trace, let r = trace.regions.firstIndex(of: region) {
            for i in 0..<48 {
                let from = now - (48 - i) * step
                guard from >= 0, from + step <= trace.minutes else { continue }
                actual[i] = (from..<(from + step)).reduce(0) { $0 + trace.demand(region: r, .cpu, minute: $1) } / Double(step) / Resource.cpu.perForecastUnit
            }
        }
        if let points = s.capacity[region] {
            for i in 0..<48 {
                let until = now - (47 - i) * step
                if let last = points.last(where: { $0.minute <= until }), last.minute > until - step { capacity[i] = last.vcpu }
            }
        }
        if let f = s.forecasts[region], let m = f.p50[.cpu], let hi = f.p90[.cpu] {
            for i in 48..<96 {
                let hour = (i - 48) / 2
                if hour < m.count { p50[i] = max(0, m[hour]); p90[i] = max(0, hi[hour]) }
            }
        }
        return [(colours.actual, actual), (colours.capacity, capacity), (colours.p50, p50), (colours.p90, p90)]
    }
}
