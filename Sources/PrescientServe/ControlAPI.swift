import PrescientCore
import PrescientRuntime

/// The control loop's read endpoints as JSON: `/v1/forecast` and `/v1/plan`.
enum ControlAPI {
    /// `GET /v1/forecast?region=R&resource=cpu|memory|network&horizon=H` (hours, 1…48, default 24):
    /// hourly p10/p50/p90 from the last tick, in vCPU, GiB or Mbit/s.
    static func forecast(_ r: HTTPRequest, _ s: ControlLoop.Snapshot, config: PrescientConfig) -> HTTPResponse {
        guard let region = r.query["region"], config.region(named: region) != nil else {
            return .json(400, "{\"error\":\"region must be one of: \(config.regionNames.joined(separator: ", "))\"}")
        }
        let resourceName = r.query["resource"] ?? "cpu"
        guard let resource = Resource(rawValue: resourceName) else {
            return .json(400, "{\"error\":\"resource must be cpu, memory or network\"}")
        }
        let horizonText = r.query["horizon"] ?? "24"
        guard let horizon = Int(horizonText), (1...ControlLoop.forecastHours).contains(horizon) else {
            return .json(400, "{\"error\":\"horizon must be a whole number of hours, 1 to \(ControlLoop.forecastHours)\"}")
        }
        guard let f = s.forecasts[region], let p50 = f.p50[resource] else {
            return .json(503, "{\"error\":\"no forecast yet: the control loop has not run\"}", headers: [("Retry-After", "5")])
        }
        let unit = resource == .cpu ? "vCPU" : resource == .memory ? "GiB" : "Mbit/s"
        var out: [UInt8] = []
        out.append(contentsOf: "{\"region\":".utf8); JSONEscapes.appendQuoted(region, to: &out)
        out.append(contentsOf: ",\"resource\":\"\(resource.rawValue)\",\"unit\":\"\(unit)\",\"step_s\":3600,\"points\":[".utf8)
        for h in 0..<min(horizon, p50.count) {
            if h > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"ts\":\"\(f.start.adding(seconds: Double(h * 3600)).rfc3339)\"".utf8)
            for (name, values) in [("p10", f.p10[resource]!), ("p50", p50), ("p90", f.p90[resource]!)] {
                out.append(contentsOf: ",\"\(name)\":".utf8)
                NumberFormatting.appendDecimal(max(0, values[h]), fractionDigits: 4, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: out)
    }

    /// `GET /v1/plan`: per region the fleet and the last plan's figures and reason; the latest decisions.
    static func plan(_ s: ControlLoop.Snapshot, routing: RoutingPlan, config: PrescientConfig) -> HTTPResponse {
        var out: [UInt8] = []
        func str(_ x: String) { JSONEscapes.appendQuoted(x, to: &out) }
        func raw(_ x: String) { out.append(contentsOf: x.utf8) }
        raw("{\"ticks\":\(s.ticks),\"last_tick\":"); if let t = s.lastTick { str(t.rfc3339) } else { raw("null") }
        raw(",\"cost\":"); NumberFormatting.appendDecimal(s.cost, fractionDigits: 4, to: &out)
        raw(",\"regions\":[")
        let weights = routing.weights()
        for (i, region) in config.regionNames.enumerated() {
            if i > 0 { raw(",") }
            let fleet = s.fleets[region] ?? RegionFleet()
            raw("{\"region\":"); str(region)
            raw(",\"ready\":\(fleet.ready),\"planned\":\(fleet.count)")
            if let r = routing.regions.firstIndex(of: region) {
                raw(",\"routing\":{\"weight\":\(weights[r]),\"served_from\":{")
                var first = true
                for (t, share) in routing.shares[r].enumerated() where share > 0 {
                    if !first { raw(",") }
                    first = false
                    str(routing.regions[t]); raw(":"); NumberFormatting.appendDecimal(share, fractionDigits: 4, to: &out)
                }
                raw("},\"reason\":"); str(routing.reasons[r]); raw("}")
            }
            if let p = s.plans[region] {
                raw(",\"quantile\":"); NumberFormatting.appendDecimal(p.quantile, fractionDigits: 3, to: &out)
                raw(",\"trusted\":\(p.trusted),\"hold\":"); if let h = p.hold { str(h) } else { raw("null") }
                raw(",\"basis\":"); str(p.basis)
            }
            raw("}")
        }
        raw("],\"decisions\":[")
        for (i, d) in s.decisions.suffix(50).reversed().enumerated() {
            if i > 0 { raw(",") }
            raw("{\"time\":"); str(d.time.rfc3339); raw(",\"region\":"); str(d.region); raw(",\"type\":"); str(d.instanceType)
            raw(",\"delta\":\(d.delta),\"reason\":"); str(d.reason); raw("}")
        }
        raw("]}")
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: out)
    }
}
