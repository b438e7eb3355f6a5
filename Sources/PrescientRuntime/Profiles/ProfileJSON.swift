import PrescientCore

/// A profile as one JSON object and a newline (`profiles export --format jsonl`, `GET
/// /v1/profiles/{user}`): the mixes as shares, the cost per active minute, the covariate minutes.
public enum ProfileJSON {
    public static func append(_ p: UserProfile, to out: inout [UInt8]) {
        func key(_ k: String) { out.append(contentsOf: ",\"\(k)\":".utf8) }
        func num(_ v: Double) { NumberFormatting.appendDecimal(v, fractionDigits: 4, to: &out) }
        out.append(contentsOf: #"{"user":"#.utf8)
        JSONEscapes.appendQuoted(p.user, to: &out)
        key("segment"); if let s = p.segment { NumberFormatting.appendInteger(Int64(s), to: &out) } else { out.append(contentsOf: "null".utf8) }
        key("first_seen"); JSONEscapes.appendQuoted(p.firstSeen.rfc3339, to: &out)
        key("last_seen"); JSONEscapes.appendQuoted(p.lastSeen.rfc3339, to: &out)
        key("events"); NumberFormatting.appendInteger(p.events, to: &out)
        key("rhythm"); out.append(UInt8(ascii: "["))
        for (i, v) in p.rhythm.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; num(Double(v)) }
        out.append(UInt8(ascii: "]"))
        func names(_ k: String, _ list: [WeightedName]) {
            key(k); out.append(UInt8(ascii: "{"))
            for (i, n) in list.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONEscapes.appendQuoted(n.name, to: &out); out.append(UInt8(ascii: ":")); num(Double(n.weight))
            }
            out.append(UInt8(ascii: "}"))
        }
        names("regions", p.regions)
        // Shares, not stored weights: those are relative to a reference that moves every few days.
        let lately = max(Float.leastNonzeroMagnitude, p.location.reduce(0) { $0 + $1.weight })
        names("location", p.location.map { WeightedName($0.name, $0.weight / lately) })
        names("devices", zip(DeviceClass.allCases, p.devices).filter { $1 > 0 }.map { WeightedName($0.rawValue, $1) })
        names("features", p.features)
        key("other_features"); num(Double(p.otherFeatures))
        let c = p.costPerActiveMinute
        key("cost_per_active_minute")
        out.append(contentsOf: #"{"cpu_millicores":"#.utf8); num(c.cpuMillicores)
        out.append(contentsOf: #","memory_mib":"#.utf8); num(c.memoryMiB)
        out.append(contentsOf: #","network_kbps":"#.utf8); num(c.networkKbps); out.append(UInt8(ascii: "}"))
        key("rain_minutes"); num(Double(p.rainMinutes))
        key("event_minutes"); num(Double(p.eventMinutes))
        key("event_minutes_by_lag"); out.append(UInt8(ascii: "["))
        for k in 0..<CovariateTable.eventLags { if k > 0 { out.append(UInt8(ascii: ",")) }; num(Double(p.eventMinutesByLag[k])) }
        out.append(UInt8(ascii: "]"))
        key("covariate_minutes"); num(Double(p.covariateMinutes))
        key("prediction")
        if let pr = p.prediction {
            out.append(contentsOf: #"{"start":"#.utf8); JSONEscapes.appendQuoted(pr.start.rfc3339, to: &out)
            out.append(contentsOf: #","step_s":"#.utf8); NumberFormatting.appendInteger(Int64(pr.stepSeconds), to: &out)
            out.append(contentsOf: #","values":["#.utf8)
            for (i, v) in pr.values.enumerated() { if i > 0 { out.append(UInt8(ascii: ",")) }; num(Double(v)) }
            out.append(contentsOf: "]}".utf8)
        } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: "}\n".utf8)
    }
}
