import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSim

/// Every scaling policy on the simulated cloud over a synthetic population's true minute demand:
/// cost, under-provisioned resource-minutes, actions, and the replay's speed.
/// Environment knobs for sensitivity studies (the defaults are the built-in config): `SAFETY`,
/// `SCALEIN`, `SCALEOUT` (scaling), `PENALTY` (slo), `QUOTA` (every type's default quota), `BOOT`
/// (every type's boot seconds); `DETAIL=1` prints each policy's first shortfalls and actions.
enum ReplayBenchmark {
    static func run(users: Int, days: Int) {
        var config = PrescientConfig.default
        let env = ProcessInfo.processInfo.environment
        if let v = env["SAFETY"].flatMap(Double.init) { config.scaling.safetyFactor = v }
        if let v = env["SCALEIN"].flatMap(Double.init) { config.scaling.scaleInThreshold = v }
        if let v = env["SCALEOUT"].flatMap(Double.init) { config.scaling.scaleOutThreshold = v }
        if let v = env["PENALTY"].flatMap(Double.init) { config.slo.underProvisionPenalty = v }
        if let v = env["QUOTA"].flatMap(Int.init) { for i in config.instanceTypes.indices { config.instanceTypes[i].defaultQuota = v } }
        if let v = env["BOOT"].flatMap(Double.init) { for i in config.instanceTypes.indices { config.instanceTypes[i].bootSeconds = v } }
        let tz = TimeZoneTable()
        let spec = PopulationSpec(users: users, days: days, start: Timestamp(seconds: 1_772_409_600), regions: config.regions,
                                  features: config.features, seed: 3, utcOffset: { tz.offsetSeconds($0, at: $1) })
        let generator = PopulationGenerator(spec: spec)
        var acc = DemandAccumulator(start: spec.start, minutes: days * 1440, regions: config.regions.count, features: config.features.count)
        for d in 0..<days {
            for e in generator.day(d) {
                acc.add(region: Int(e.region), feature: Int(e.feature), startMs: e.timeMs, seconds: Double(e.durationSeconds))
            }
        }
        var trace = DemandTrace(start: spec.start, minutes: days * 1440, regions: config.regions.map(\.name))
        for r in config.regions.indices {
            let rows = acc.demand(region: r, costs: config.features.map(\.cost))
            trace.values[r][Resource.cpu.index] = rows.map(\.cpu)
            trace.values[r][Resource.memory.index] = rows.map(\.memory)
            trace.values[r][Resource.network.index] = rows.map(\.network)
        }
        print("replay: \(users) users × \(days) days, \(config.regions.count) regions, minute steps")
        defer { speed(trace: trace, config: config) }
        let replay = Replay(trace: trace, config: config)
        print("  policy            cost     under-provisioned resource-min   actions   seconds")
        for var p in Replay.allPolicies(config: config) {
            let t0 = monotonicSeconds()
            let o = replay.run(&p)
            if ProcessInfo.processInfo.environment["DETAIL"] != nil { detail(o, trace: trace) }
            print("  \(o.policy.padding(toLength: 16, withPad: " ", startingAt: 0)) \(Formatting.fixed(o.cost, 2).padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(o.underProvisionedTotal).padding(toLength: 32, withPad: " ", startingAt: 0)) \(String(o.actions.count).padding(toLength: 9, withPad: " ", startingAt: 0)) \(Formatting.fixed(monotonicSeconds() - t0, 2))")
        }
    }
}

extension ReplayBenchmark {
    /// Debug detail for one policy: under-provisioning per region/resource and sample reasons.
    static func detail(_ o: Replay.Outcome, trace: DemandTrace) {
        print("  \(o.policy): under-provisioned per region [cpu, memory, network]: \(o.underProvisioned)")
        var launched: [String: Int] = [:]
        for d in o.actions where d.delta > 0 { launched[d.instanceType, default: 0] += d.delta }
        print("    launched by type: \(launched.sorted { $0.key < $1.key })")
        for (r, points) in o.chart.enumerated() {
            let ratios = points.filter { $0.demand > 0 }.map { $0.capacity / $0.demand }
            let byHour = (0..<24).map { h -> String in
                let xs = points.filter { $0.demand > 0 && ($0.minute / 60) % 24 == h }.map { $0.capacity / $0.demand }
                return Formatting.fixed(xs.reduce(0, +) / Double(max(1, xs.count)), 2)
            }
            let byDay = (0..<(trace.minutes / 1440)).map { d -> String in
                let xs = points.filter { $0.demand > 0 && $0.minute / 1440 == d }.map { $0.capacity / $0.demand }
                return Formatting.fixed(xs.reduce(0, +) / Double(max(1, xs.count)), 2)
            }
            print("    \(trace.regions[r]) by day \(byDay.joined(separator: " "))")
            print("    \(trace.regions[r]) CPU capacity/demand mean \(Formatting.fixed(ratios.reduce(0, +) / Double(max(1, ratios.count)), 3)); by UTC hour \(byHour.joined(separator: " "))")
        }
        for s in o.shortfalls.prefix(12) { print("    short: minute \(s.minute) (\(trace.time(s.minute).rfc3339)) \(trace.regions[s.region]) \(s.resource): demand \(Int(s.demand)) > capacity \(Int(s.capacity))") }
        for d in o.actions.prefix(3) { print("    \(d.time.rfc3339) \(d.region) \(d.instanceType) \(d.delta): \(d.reason)") }
        for d in o.actions.filter({ $0.time.milliseconds > trace.start.milliseconds + 10 * 86_400_000 }).prefix(6) { print("    \(d.time.rfc3339) \(d.region) \(d.instanceType) \(d.delta): \(d.reason)") }
    }
}

extension ReplayBenchmark {
    /// The speed target: a month at minute resolution, 8 regions, every policy, ≤ 10 s. Regions 5–8
    /// are regions 1–4 three hours later (the population's own regions are four).
    static func speed(trace base: DemandTrace, config: PrescientConfig) {
        let minutes = min(base.minutes, 30 * 1440)
        var trace = DemandTrace(start: base.start, minutes: minutes, regions: base.regions + base.regions.map { $0 + "-b" })
        for r in base.regions.indices {
            for res in Resource.allCases {
                let v = Array(base.values[r][res.index].prefix(minutes))
                trace.values[r][res.index] = v
                trace.values[r + base.regions.count][res.index] = Array(v.suffix(from: min(180, v.count)) + v.prefix(min(180, v.count)))
            }
        }
        let replay = Replay(trace: trace, config: config)
        let t0 = monotonicSeconds()
        var parts: [String] = []
        for var p in Replay.allPolicies(config: config) {
            let t = monotonicSeconds()
            _ = replay.run(&p)
            parts.append("\(p.name) \(Formatting.fixed(monotonicSeconds() - t, 2)) s")
        }
        let total = monotonicSeconds() - t0
        print("  speed: \(minutes / 1440) days × \(trace.regions.count) regions at minute steps, all policies: \(Formatting.fixed(total, 2)) s (target ≤ 10 s) — \(parts.joined(separator: ", "))")
    }
}
