import Foundation
import PrescientCore
import PrescientRuntime
import PrescientSim

/// The profile-driven forecast against every aggregate-only model on a population that changes:
/// a segment moving region a few days before, and a scheduled match on the forecast day.
/// Environment knobs for robustness checks: `SEED` (population seed, default 7) and `SHARE` (share
/// of the segment that moves, default 0.6).
enum ScenarioBenchmark {
    static func run(users: Int, export: String?, anchors: String?, verbose: Bool) {
        let config = PrescientConfig.default
        let tz = TimeZoneTable()
        var settings = ShiftScenario.Settings()
        settings.users = users
        if let s = ProcessInfo.processInfo.environment["SEED"], let v = UInt64(s) { settings.seed = v }
        if let s = ProcessInfo.processInfo.environment["SHARE"], let v = Double(s) { settings.share = v }
        let t0 = monotonicSeconds()
        let outcome = ShiftScenario.run(settings, config: config, offsets: tz.regionOffsets(config.regions),
                                    utcOffset: { tz.offsetSeconds($0, at: $1) })
        var out = outcome
        let seconds = monotonicSeconds() - t0
        // The Python anchors' forecasts of the same two series (scripts/forecast-bench.sh), scored alike.
        if let anchors, let text = try? String(contentsOfFile: anchors, encoding: .utf8), let cv = try? LongFormat.parseCrossValidation(text) {
            let d = cv["\(settings.to)/cpu"] ?? [], o = cv["\(settings.from)/cpu"] ?? []
            let models = Set(d.flatMap { $0.forecasts.keys }).sorted()
            for m in models where d.count == 24 && o.count == 24 {
                out.scores.append(out.score("\(m) (Python)", destination: d.map { $0.forecasts[m] ?? .nan }, origin: o.map { $0.forecasts[m] ?? .nan }))
            }
        }
        print("scenario: \(users) users, \(settings.historyDays) days of history; \(out.movedUsers) \(settings.segment.name) users move \(settings.from) → \(settings.to) \(settings.daysBefore) days before the origin; a match in \(settings.to) on the forecast day (\(out.segments) segments found; \(Formatting.seconds(seconds)))")
        let hours = out.affectedSteps.map { Timestamp(milliseconds: out.origin.milliseconds + Int64($0) * 3_600_000).rfc3339.dropFirst(11).prefix(5) }
        print("  affected hours (UTC): \(hours.joined(separator: ", ")); MASE (scale: in-sample seasonal naive, season 24)")
        print("  model                          \(settings.to) match hours  \(settings.to) day  \(settings.from) day")
        for s in out.scores {
            print("  \(s.model.padding(toLength: 30, withPad: " ", startingAt: 0)) \(Formatting.fixed(s.affected, 3).leftPad(19))  \(Formatting.fixed(s.destinationDay, 3).leftPad(12))  \(Formatting.fixed(s.originDay, 3).leftPad(11))")
        }
        let full = out.scores[0]
        let aggregates = out.scores.filter { !ShiftScenario.profileModels.contains($0.model) }
        if let best = aggregates.min(by: { $0.affected < $1.affected }) {
            print("  profile-driven vs best aggregate-only (\(best.model)) in the match hours: \(Formatting.fixed((1 - full.affected / best.affected) * 100, 1)) % lower MASE (target ≥ 25 %)")
        }
        if let bestDay = aggregates.min(by: { $0.destinationDay < $1.destinationDay }) {
            print("  … over the whole day in \(settings.to) (vs \(bestDay.model)): \(Formatting.fixed((1 - full.destinationDay / bestDay.destinationDay) * 100, 1)) % lower")
        }
        if verbose {
            let actual = out.demand[settings.to]!.suffix(24), best = aggregates.min { $0.destinationDay < $1.destinationDay }!
            print("  \(settings.to) hour by hour: UTC, actual, profile-driven, \(best.model) (CPU cores)")
            for (s, a) in actual.enumerated() {
                print("    \(Timestamp(milliseconds: out.origin.milliseconds + Int64(s) * 3_600_000).rfc3339.dropFirst(11).prefix(5))  \(Formatting.fixed(a, 1).leftPad(8)) \(Formatting.fixed(full.destination[s], 1).leftPad(8)) \(Formatting.fixed(best.destination[s], 1).leftPad(8))")
            }
        }
        print("  drivers (\(settings.to)): \(out.drivers.joined(separator: "; "))")
        if let export {
            var csv = "unique_id,ds,y\n"
            for (region, series) in out.demand.sorted(by: { $0.key < $1.key }) {
                for (h, v) in series.enumerated() {
                    csv += "\(region)/cpu,\(LongFormat.dateTime(Timestamp(milliseconds: out.origin.milliseconds + Int64(h - out.historyHours) * 3_600_000))),\(v)\n"
                }
            }
            do { try csv.write(toFile: export, atomically: true, encoding: .utf8); print("  series (history and forecast day): \(export)") }
            catch { print("  cannot write \(export): \(error)") }
        }
    }
}

private extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
