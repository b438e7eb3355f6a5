import PrescientCore
import PrescientRuntime

/// Human and JSON renderings of a profile.
enum ProfileText {
    /// Mean active minutes per day now: decayed minutes scaled to `now`, times ln 2 / half-life.
    static func minutesPerDay(_ p: UserProfile, now: Timestamp, halfLifeDays: Double) -> Double {
        p.activeMinutes(at: now, halfLifeDays: halfLifeDays) * 0.6931471805599453 / halfLifeDays
    }

    /// Churn signal in [0, 1]: 1 − P(no activity for as long as observed | still active at the user's
    /// rate) = 1 − e^(−rate × gap), rate in sessions per day.
    static func churnSignal(_ p: UserProfile, now: Timestamp, halfLifeDays: Double) -> Double {
        let gapDays = max(0, Double(now.milliseconds - p.lastSeen.milliseconds) / 86_400_000)
        let spanDays = max(1, Double(p.lastSeen.milliseconds - p.firstSeen.milliseconds) / 86_400_000)
        let rate = Double(p.events) / spanDays
        return 1 - _expNeg(rate * gapDays)
    }

    static let bars = Array("▁▂▃▄▅▆▇█")

    /// 24 hourly values as a one-line bar chart.
    static func sparkline(_ v: [Double]) -> String {
        let m = v.max() ?? 0
        guard m > 0 else { return String(repeating: " ", count: v.count) }
        return String(v.map { bars[min(7, Int(($0 / m) * 7.999))] })
    }

    static func describe(_ p: UserProfile, now: Timestamp, halfLifeDays: Double, segment: Segmentation?) -> String {
        var s = "user        \(p.user)\n"
        if let id = p.segment {
            let seg = segment?.segment(id)
            s += "segment     \(id)\(seg.map { " (\($0.size) users; peaks \($0.peakHours.map { "\($0):00" }.joined(separator: ", ")))" } ?? "")\n"
        } else { s += "segment     - (run 'prescient segments')\n" }
        s += "seen        \(p.firstSeen.rfc3339) … \(p.lastSeen.rfc3339), \(p.events) events\n"
        s += "activity    \(Formatting.format1(minutesPerDay(p, now: now, halfLifeDays: halfLifeDays))) active min/day (half-life \(Formatting.format1(halfLifeDays)) d); churn signal \(Formatting.format2(churnSignal(p, now: now, halfLifeDays: halfLifeDays)))\n"
        var weekday = [Double](repeating: 0, count: 24), weekend = [Double](repeating: 0, count: 24)
        for d in 0..<7 { for h in 0..<24 { if d < 5 { weekday[h] += Double(p.rhythm[d * 24 + h]) } else { weekend[h] += Double(p.rhythm[d * 24 + h]) } } }
        s += "rhythm      weekdays |\(sparkline(weekday))|  weekend |\(sparkline(weekend))|  (local hours 0–23)\n"
        func mix(_ list: [(String, Double)]) -> String {
            let t = list.reduce(0) { $0 + $1.1 }
            guard t > 0 else { return "-" }
            return list.sorted { $0.1 > $1.1 }.prefix(4).map { "\($0.0) \(Int(($0.1 / t * 100).rounded()))%" }.joined(separator: ", ")
        }
        s += "regions     \(mix(p.regions.map { ($0.name, Double($0.weight)) }))\n"
        s += "lately      \(mix(p.location.map { ($0.name, Double($0.weight)) }))  (where the user has been in the last hours)\n"
        s += "devices     \(mix(zip(DeviceClass.allCases, p.devices).map { ($0.rawValue, Double($1)) }))\n"
        s += "features    \(mix(p.features.map { ($0.name, Double($0.weight)) } + (p.otherFeatures > 0 ? [("(other)", Double(p.otherFeatures))] : [])))\n"
        let c = p.costPerActiveMinute
        s += "cost        \(Formatting.format1(c.cpuMillicores)) millicores, \(Formatting.format1(c.memoryMiB)) MiB, \(Formatting.format1(c.networkKbps)) kbit/s per active minute\n"
        if p.covariateMinutes > 0 {
            s += "covariates  \(Int((Double(p.rainMinutes / p.covariateMinutes) * 100).rounded()))% of active minutes in rain, \(Int((Double(p.eventMinutes / p.covariateMinutes) * 100).rounded()))% during or just after scheduled events\n"
        }
        if let pr = p.prediction { s += "prediction  \(pr.values.count) steps of \(pr.stepSeconds) s from \(pr.start.rfc3339)\n" }
        return s
    }

    static func appendJSON(_ p: UserProfile, to out: inout [UInt8]) {
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

/// The segment table printed by `prescient segments`.
enum SegmentTable {
    static func render(_ s: Segmentation) -> String {
        let total = max(1, s.segments.reduce(0) { $0 + $1.size })
        func top(_ list: [SegmentSummary.Share]) -> String {
            list.prefix(2).map { "\($0.name) \(Int(($0.share * 100).rounded()))%" }.joined(separator: ", ")
        }
        let rows = s.segments.map { seg -> [String] in
            var weekday = [Double](repeating: 0, count: 24)
            for d in 0..<5 { for h in 0..<24 { weekday[h] += Double(seg.rhythm[d * 24 + h]) } }
            return [String(seg.id), String(seg.size), "\(Int((Double(seg.size) / Double(total) * 100).rounded()))%",
                    ProfileText.sparkline(weekday), seg.peakHours.map { String($0) }.joined(separator: ","),
                    "\(Int((seg.weekendShare * 100).rounded()))%", top(seg.topRegions), top(seg.topFeatures.filter { $0.name != "(other)" }), top(seg.topDevices),
                    Formatting.format1(seg.cpuMillicores), Formatting.format1(seg.memoryMiB), Formatting.format1(seg.networkKbps),
                    Formatting.format1(seg.minutesPerUserDay)]
        }
        var out = TextTable.render(header: ["seg", "users", "share", "weekday rhythm 0–23h", "peaks", "wkend", "top regions",
                                            "top features", "top devices", "cpu mc", "mem MiB", "net kbps", "min/day"],
                                   rows: rows, rightAligned: [1, 2, 5, 9, 10, 11, 12])
        if !s.silhouette.isEmpty {
            out += "k chosen by \(s.kChoice): " + s.silhouette.sorted { $0.key < $1.key }.map { "k=\($0.key) \(Formatting.format2($0.value))" }.joined(separator: ", ") + "\n"
        }
        if s.unassigned > 0 { out += "\(s.unassigned) users without activity are unassigned\n" }
        if let d = s.drift {
            out += "drift: \(d.usersMoved) of \(d.usersCompared) users changed segment"
            if !d.appeared.isEmpty { out += "; new segments \(d.appeared.map(String.init).joined(separator: ", "))" }
            if !d.vanished.isEmpty { out += "; vanished \(d.vanished.map(String.init).joined(separator: ", "))" }
            out += "\n"
            for c in d.changes where c.previousSize > 0 && c.size > 0 {
                out += "  segment \(c.id): \(c.previousSize) → \(c.size) users, centroid moved \(Formatting.format2(c.centroidShift))\n"
            }
        }
        out += "allocation (share of each segment's activity per region):\n"
        for seg in s.segments {
            out += "  \(seg.id): " + seg.allocation.sorted { $0.value > $1.value }.prefix(5).map { "\($0.key) \(Formatting.format2($0.value))" }.joined(separator: ", ") + "\n"
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#endif
@inline(__always) func _expNeg(_ x: Double) -> Double { exp(-x) }
