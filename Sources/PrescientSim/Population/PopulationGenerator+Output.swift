import Dispatch
import PrescientCore

/// The byte layouts the generator writes: events as canonical JSON Lines, and the ground truth.
extension PopulationGenerator {
    /// Appends one event as canonical JSON Lines (the format `prescient ingest` reads with no map):
    /// `cpu_ms` = cost.cpu_millicores × duration (CPU milliseconds), `mem_mb` = cost.memory_mib,
    /// `id` = `<user>-<local day>-<ordinal>` (stable, for idempotent re-delivery).
    public func appendJSONLine(_ e: GeneratedEvent, to out: inout [UInt8]) {
        let feature = spec.features[Int(e.feature)]
        out.append(contentsOf: #"{"ts":""#.utf8)
        Timestamp(milliseconds: e.timeMs).appendRFC3339(to: &out)
        out.append(contentsOf: #"","user":""#.utf8)
        appendUserID(Int(e.user), to: &out)
        out.append(contentsOf: #"","region":""#.utf8)
        out.append(contentsOf: spec.regions[Int(e.region)].name.utf8)
        out.append(contentsOf: #"","feature":""#.utf8)
        out.append(contentsOf: feature.name.utf8)
        out.append(contentsOf: #"","device":""#.utf8)
        out.append(contentsOf: e.device.rawValue.utf8)
        out.append(contentsOf: #"","duration_s":"#.utf8)
        let seconds = Double(e.durationSeconds)
        NumberFormatting.appendDecimal(seconds, fractionDigits: 1, to: &out)
        out.append(contentsOf: #","bytes":"#.utf8)
        NumberFormatting.appendInteger(e.bytes, to: &out)
        out.append(contentsOf: #","cpu_ms":"#.utf8)
        NumberFormatting.appendInteger(Int64((feature.cost.cpuMillicores * seconds).rounded()), to: &out)
        out.append(contentsOf: #","mem_mb":"#.utf8)
        NumberFormatting.appendDecimal(feature.cost.memoryMiB, fractionDigits: 1, to: &out)
        out.append(contentsOf: #","id":""#.utf8)
        appendUserID(Int(e.user), to: &out)
        out.append(UInt8(ascii: "-"))
        NumberFormatting.appendInteger(Int64(e.localDay), to: &out)
        out.append(UInt8(ascii: "-"))
        NumberFormatting.appendInteger(Int64(e.ordinal), to: &out)
        out.append(contentsOf: "\"}\n".utf8)
    }

    @inline(__always)
    func appendUserID(_ index: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "u"))
        var digits = 1, v = index
        while v >= 10 { v /= 10; digits += 1 }
        for _ in digits..<max(digits, userIdWidth) { out.append(48) }
        NumberFormatting.appendInteger(Int64(index), to: &out)
    }

    /// `users.csv`: each user's true segment and the rest of the hidden truth.
    public static let usersHeader = "user,segment,home_region,activity,hour_shift,first_day,last_day,trip_region,trip_day,trip_days,move_region,move_day,primary_device\n"

    public func appendUserRow(_ u: SyntheticUser, to out: inout [UInt8]) {
        var s = userID(u.index) + "," + u.segment.name + "," + spec.regions[u.homeRegion].name + ","
        s += fixed3(u.activity) + "," + String(u.hourShift) + "," + String(u.firstDay) + ","
        s += (u.lastDay < spec.days ? String(u.lastDay) : "") + ","
        if let t = u.trip { s += spec.regions[t.region].name + "," + String(t.day) + "," + String(t.days) + "," } else { s += ",,," }
        if let m = u.move { s += spec.regions[m.region].name + "," + String(m.day) + "," } else { s += ",," }
        s += u.primaryDevice.rawValue + "\n"
        out.append(contentsOf: s.utf8)
    }

    /// `demand.csv` header: the true per-region demand per minute.
    public static let demandHeader = "region,minute,active_sessions,cpu_millicores,memory_mib,network_kbps\n"

    public func appendDemandRows(_ acc: DemandAccumulator, to out: inout [UInt8]) {
        let costs = spec.features.map(\.cost)
        for (r, region) in spec.regions.enumerated() {
            let rows = acc.demand(region: r, costs: costs)
            for (m, row) in rows.enumerated() {
                out.append(contentsOf: region.name.utf8)
                out.append(UInt8(ascii: ","))
                Timestamp(milliseconds: spec.start.milliseconds + Int64(m) * 60_000).appendRFC3339(to: &out)
                for v in [row.sessions, row.cpu, row.memory, row.network] {
                    out.append(UInt8(ascii: ","))
                    NumberFormatting.appendDecimal(v, fractionDigits: 3, to: &out)
                }
                out.append(0x0A)
            }
        }
    }

    /// `covariates.csv`: per region and hour, rain (mm/h) and the scheduled event running, if any.
    public static let covariatesHeader = "region,ds,rain_mm,event,event_segment\n"

    public func appendCovariateRows(to out: inout [UInt8]) {
        for (r, region) in spec.regions.enumerated() {
            for h in 0..<(spec.days * 24) {
                let t = spec.start.milliseconds + Int64(h) * 3_600_000
                let match = matches.first { $0.region == r && $0.start.milliseconds < t + 3_600_000 && $0.end.milliseconds > t }
                var line = region.name + "," + Timestamp(milliseconds: t).rfc3339 + ","
                line += fixed3(weather.rainMillimetres[r][h]) + ","
                line += (match?.name ?? "") + "," + (match?.segment.name ?? "") + "\n"
                out.append(contentsOf: line.utf8)
            }
        }
    }

    /// `segments.csv`: the ground-truth segments and their share in each region.
    public func segmentsTable() -> String {
        var s = "segment,description," + spec.regions.map { "share_" + $0.name }.joined(separator: ",") + "\n"
        for seg in SegmentArchetype.allCases {
            s += seg.name + ",\"" + seg.summary + "\""
            for (i, r) in spec.regions.enumerated() {
                let mix = SegmentArchetype.mix(forRegion: r.name, index: i, seed: spec.seed)
                s += "," + fixed3(mix[seg.rawValue])
            }
            s += "\n"
        }
        return s
    }

    func fixed3(_ x: Double) -> String {
        var out: [UInt8] = []
        NumberFormatting.appendDecimal(x, fractionDigits: 3, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension PopulationGenerator {
    /// The events formatted as JSON Lines in `chunks` pieces, formatted concurrently, in order.
    public func jsonLines(_ events: [GeneratedEvent], chunks: Int = 8) -> [[UInt8]] {
        let n = events.count
        let k = max(1, min(chunks, n))
        let parts = ConcurrentSlots<[UInt8]>(count: k, initial: [])
        events.withUnsafeBufferPointer { buf in
            nonisolated(unsafe) let all = buf
            DispatchQueue.concurrentPerform(iterations: k) { c in
                var out: [UInt8] = []
                out.reserveCapacity((n / k + 1) * 200)
                for i in (n * c / k)..<(n * (c + 1) / k) { appendJSONLine(all[i], to: &out) }
                parts.set(c, out)
            }
        }
        return parts.values
    }
}
