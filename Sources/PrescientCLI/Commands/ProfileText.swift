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
}

/// The segment table printed by `prescient segments`.
enum SegmentTable {
    static func render(_ s: Segmentation) -> String {
        let total = max(1, s.segments.reduce(0) { $0 + $1.size })
        func top(_ list: [SegmentSummary.Share]) -> String {
            list.prefix(2).map { "\($0.name) \(percent($0.share))" }.joined(separator: ", ")
        }
        // Shares under 10 % keep a decimal: with thousands of features (retail stock codes) the
        // top ones are fractions of a percent, and "0%" would hide which segment leans on them.
        func percent(_ share: Double) -> String {
            share >= 0.1 ? "\(Int((share * 100).rounded()))%" : "\(Formatting.format1(share * 100))%"
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
