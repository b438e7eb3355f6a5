import PrescientCore
import PrescientSim
import PrescientRuntime

/// The files `prescient simulate --report DIR` writes: `report.json` (every figure) and a
/// self-contained `report.html` (inline SVG, no network).
enum SimulationReport {
    static func json(_ outcomes: [Replay.Outcome], trace: DemandTrace, chartStep: Int, cache: CacheReplay.Result? = nil) -> String {
        var o: [UInt8] = []
        func s(_ x: String) { JSONEscapes.appendQuoted(x, to: &o) }
        func n(_ x: Double) { x.isFinite ? NumberFormatting.appendDecimal(x, fractionDigits: 4, to: &o) : o.append(contentsOf: "null".utf8) }
        func raw(_ x: String) { o.append(contentsOf: x.utf8) }
        raw("{\"start\":"); s(trace.start.rfc3339); raw(",\"minutes\":\(trace.minutes),\"chart_step_minutes\":\(chartStep),\"regions\":[")
        for (i, r) in trace.regions.enumerated() { if i > 0 { raw(",") }; s(r) }
        raw("],\"policies\":[")
        for (k, out) in outcomes.enumerated() {
            if k > 0 { raw(",") }
            raw("{\"policy\":"); s(out.policy); raw(",\"cost\":"); n(out.cost)
            raw(",\"under_provisioned_resource_minutes\":\(out.underProvisionedTotal),\"failed_launches\":\(out.failedLaunches),\"seconds\":"); n(out.seconds)
            raw(",\"under_provisioned\":{")
            for (i, r) in trace.regions.enumerated() {
                if i > 0 { raw(",") }
                s(r); raw(":{")
                for (j, res) in Resource.allCases.enumerated() { if j > 0 { raw(",") }; s(res.rawValue); raw(":\(out.underProvisioned[i][res.index])") }
                raw("}")
            }
            raw("},\"cost_over_time\":[")
            for (i, c) in out.costOverTime.enumerated() { if i > 0 { raw(",") }; n(c) }
            raw("],\"chart\":{")
            for (i, r) in trace.regions.enumerated() {
                if i > 0 { raw(",") }
                s(r); raw(":[")
                for (j, p) in out.chart[i].enumerated() {
                    if j > 0 { raw(",") }
                    raw("[\(p.minute),"); n(p.demand / 1000); raw(","); n(p.capacity / 1000); raw(",\(p.instances)]")
                }
                raw("]")
            }
            raw("},\"actions\":[")
            for (i, d) in out.actions.prefix(2000).enumerated() {
                if i > 0 { raw(",") }
                raw("{\"time\":"); s(d.time.rfc3339); raw(",\"region\":"); s(d.region); raw(",\"type\":"); s(d.instanceType)
                raw(",\"delta\":\(d.delta),\"reason\":"); s(d.reason); raw("}")
            }
            raw("],\"actions_total\":\(out.actions.count),\"first_shortfalls\":[")
            for (i, f) in out.shortfalls.enumerated() {
                if i > 0 { raw(",") }
                raw("{\"time\":"); s(trace.time(f.minute).rfc3339); raw(",\"region\":"); s(trace.regions[f.region])
                raw(",\"resource\":"); s(f.resource.rawValue); raw(",\"demand\":"); n(f.demand / f.resource.perForecastUnit)
                raw(",\"capacity\":"); n(f.capacity / f.resource.perForecastUnit); raw("}")
            }
            raw("]}")
        }
        raw("]")
        if let cache {
            func outcome(_ c: CacheReplay.Outcome) {
                raw("{\"hit_ratio\":"); n(c.hitRatio); raw(",\"requests\":\(c.requests),\"peak_hit_ratio\":"); n(c.peakHitRatio)
                raw(",\"peak_requests\":\(c.peakRequests),\"miss_fetches\":\(c.missFetches),\"warm_fetches\":\(c.warmFetches)}")
            }
            raw(",\"cache\":{\"peak_hour\":"); s(cache.peakHour.rfc3339); raw(",\"without_warming\":"); outcome(cache.withoutWarming)
            raw(",\"with_warming\":"); outcome(cache.withWarming); raw(",\"per_region\":{")
            for (i, (region, o)) in cache.perRegion.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { raw(",") }
                s(region); raw(":{\"without_warming\":"); outcome(o[0]); raw(",\"with_warming\":"); outcome(o[1]); raw("}")
            }
            raw("}}")
        }
        raw("}\n")
        return String(decoding: o, as: UTF8.self)
    }

    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#7f7f7f", "#e377c2", "#bcbd22"]

    static func html(_ outcomes: [Replay.Outcome], trace: DemandTrace, table: String, cache: CacheReplay.Result? = nil) -> String {
        var h = """
        <!doctype html><html><head><meta charset="utf-8"><title>Prescient simulation</title>
        <style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}h2{margin-top:28px}svg{background:#fafafa;border:1px solid #ddd}
        pre{background:#f4f4f4;padding:8px}.legend span{margin-right:14px}td,th{padding:2px 8px;text-align:left;vertical-align:top}</style></head><body>
        <h1>Prescient simulation</h1><p>\(trace.regions.count) regions, \(trace.minutes) minutes from \(trace.start.rfc3339). A minute is under-provisioned for a resource when its demand exceeds the ready capacity.</p>
        <pre>\(SVGChart.escapeHTML(table))</pre><p class="legend">
        """
        for (i, o) in outcomes.enumerated() { h += "<span style=\"color:\(colours[i % colours.count])\">■ \(SVGChart.escapeHTML(o.policy))</span>" }
        h += "<span>▬ demand (black)</span></p>"
        for (r, region) in trace.regions.enumerated() {
            h += "<h2>\(SVGChart.escapeHTML(region)): CPU demand and ready capacity (vCPU)</h2>"
            var lines: [(String, [Double])] = [("#000", outcomes.first.map { $0.chart[r].map { $0.demand / 1000 } } ?? [])]
            for (i, o) in outcomes.enumerated() { lines.append((colours[i % colours.count], o.chart[r].map { $0.capacity / 1000 })) }
            h += SVGChart.lines(lines)
        }
        h += "<h2>Cost over time</h2>"
        h += SVGChart.lines(outcomes.enumerated().map { (colours[$0 % colours.count], $1.costOverTime) })
        h += "<h2>Scaling actions (first 40 per policy)</h2>"
        for o in outcomes {
            h += "<h3>\(SVGChart.escapeHTML(o.policy)) — \(o.actions.count) actions</h3><table>"
            for d in o.actions.prefix(40) {
                h += "<tr><td>\(d.time.rfc3339)</td><td>\(SVGChart.escapeHTML(d.region))</td><td>\(d.delta > 0 ? "+" : "")\(d.delta) \(SVGChart.escapeHTML(d.instanceType))</td><td>\(SVGChart.escapeHTML(d.reason))</td></tr>"
            }
            h += "</table>"
        }
        if let cache {
            func pct(_ x: Double) -> String { Formatting.fixed(x * 100, 1) + " %" }
            h += "<h2>Regional caches: hit ratio without and with warming</h2><p>Peak hour \(cache.peakHour.rfc3339). The warmer knows only the requests before each round.</p><table><tr><th></th><th>peak hour</th><th>whole replay</th><th>miss fetches</th><th>warm fetches</th></tr>"
            for (name, o) in [("no warming", cache.withoutWarming), ("warming", cache.withWarming)] {
                h += "<tr><td>\(name)</td><td>\(pct(o.peakHitRatio)) of \(o.peakRequests)</td><td>\(pct(o.hitRatio)) of \(o.requests)</td><td>\(o.missFetches)</td><td>\(o.warmFetches)</td></tr>"
            }
            h += "</table>"
        }
        return h + "</body></html>\n"
    }
}
