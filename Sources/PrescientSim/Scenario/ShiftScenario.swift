import PrescientCore

/// The experiment behind "a change in who the users are shows before the aggregate history shows
/// it": a synthetic population in which, a few days before the forecast, a share of one segment
/// moves from one region to another, and on the forecast day a scheduled match (known in advance,
/// in the covariate table) runs in the destination region.
///
/// Everything before the forecast origin is ingested into profiles (`ProfileUpdater`, with the
/// covariate table), segmented (`Segmenter`), and forecast bottom-up with the learned covariate
/// lifts (`ProfileDemandForecast`); the aggregate-only models see each region's hourly CPU demand
/// up to the origin. All are scored on the day after the origin against the true demand:
/// MASE (scale: in-sample seasonal naive, season 24) over the match hours in the destination
/// region (the affected hours), and over the whole day in the destination and origin regions.
public struct ShiftScenario: Sendable {
    public struct Settings: Sendable {
        public var users = 50_000
        /// Days of history before the forecast (the origin is on the next day).
        public var historyDays = 28
        public var seed: UInt64 = 7
        public var segment = SegmentArchetype.eveningStreamer
        public var from = "eu-west", to = "us-east"
        /// Share of the segment's users in `from` who move.
        public var share = 0.6
        /// How many days before the origin they move.
        public var daysBefore = 3
        public init() {}
    }

    /// One model's errors.
    public struct Score: Sendable {
        public var model: String
        /// The destination's and the origin's 24 forecast hours (CPU cores).
        public var destination: [Double], origin: [Double]
        /// MASE over the affected hours, over the destination's day, over the origin's day.
        public var affected: Double, destinationDay: Double, originDay: Double
    }

    public struct Outcome: Sendable {
        /// Profile-driven variants first (full, without covariates, without recent location), then
        /// every aggregate-only model.
        public var scores: [Score]
        /// Forecast steps (hours after the origin) the match covers in the destination region.
        public var affectedSteps: [Int]
        public var movedUsers: Int
        public var segments: Int
        /// The destination's drivers as the full profile-driven forecast reports them.
        public var drivers: [String]
        /// Demand series per region (CPU cores per hour: `historyHours` of history, then the 24
        /// forecast hours), by region name.
        public var demand: [String: [Double]]
        public var historyHours: Int
        public var origin: Timestamp
        public var destinationRegion: String, originRegion: String

        /// Scores 24-hour forecasts of the destination and the origin region (CPU cores).
        public func score(_ model: String, destination: [Double], origin originForecast: [Double]) -> Score {
            let d = demand[destinationRegion]!, o = demand[originRegion]!
            let dHistory = Array(d.prefix(historyHours)), oHistory = Array(o.prefix(historyHours))
            let dActual = Array(d[historyHours...]), oActual = Array(o[historyHours...])
            func mase(_ a: [Double], _ f: [Double], _ history: [Double]) -> Double {
                ForecastMetrics.mase(actual: a, forecast: f, history: history, season: 24) ?? .nan
            }
            return Score(model: model, destination: destination, origin: originForecast,
                         affected: mase(affectedSteps.map { dActual[$0] }, affectedSteps.map { destination[$0] }, dHistory),
                         destinationDay: mase(dActual, destination, dHistory),
                         originDay: mase(oActual, originForecast, oHistory))
        }
    }

    /// The names of the profile-driven variants in `Outcome.scores`.
    public static let profileModels = ["Profiles", "Profiles (no covariates)", "Profiles (no recent location)"]

    public static func run(_ settings: Settings, config: PrescientConfig, offsets: RegionOffsets,
                           utcOffset: @escaping @Sendable (String, Timestamp) -> Int) -> Outcome {
        let regionNames = config.regions.map(\.name)
        guard let from = regionNames.firstIndex(of: settings.from), let to = regionNames.firstIndex(of: settings.to) else {
            preconditionFailure("scenario regions \(settings.from), \(settings.to) not in the config")
        }
        // The match is on local day `historyDays`; the origin is 12 hours before it starts, so the
        // 24-hour forecast holds the whole match wherever the destination's evening falls in UTC.
        let days = settings.historyDays + 2
        var spec = PopulationSpec(users: settings.users, days: days, start: Timestamp(seconds: 1_772_409_600),
                                  regions: config.regions, features: config.features, seed: settings.seed, utcOffset: utcOffset)
        spec.migrations = [Migration(segment: settings.segment, from: from, to: to, share: settings.share,
                                     day: settings.historyDays - settings.daysBefore)]
        spec.extraMatches = [(region: to, day: settings.historyDays)]
        let generator = PopulationGenerator(spec: spec)
        let table = generator.covariateTable()
        let match = generator.matches.last!
        let originHour = Int((match.start.milliseconds - spec.start.milliseconds) / 3_600_000) - 12
        let origin = Timestamp(milliseconds: spec.start.milliseconds + Int64(originHour) * 3_600_000)

        // Ingest the history into profiles; accumulate the true hourly CPU demand of the whole span.
        let updater = ProfileUpdater(config: config, offsets: offsets, covariates: table)
        var profiles = [UserProfile?](repeating: nil, count: spec.users)
        var truth = DemandAccumulator(start: spec.start, minutes: days * 1440, regions: regionNames.count, features: config.features.count)
        let userIDs = (0..<spec.users).map(generator.userID)
        for d in 0..<days {
            for e in generator.day(d) {
                let feature = config.features[Int(e.feature)]
                truth.add(region: Int(e.region), feature: Int(e.feature), startMs: e.timeMs, seconds: Double(e.durationSeconds))
                guard e.timeMs < origin.milliseconds else { continue }
                let event = Event(time: Timestamp(milliseconds: e.timeMs), user: userIDs[Int(e.user)], region: regionNames[Int(e.region)],
                                  feature: feature.name, device: e.device, durationSeconds: Double(e.durationSeconds), bytes: e.bytes,
                                  resources: ResourceUsage(cpuMilliseconds: feature.cost.cpuMillicores * Double(e.durationSeconds),
                                                           memoryMiB: feature.cost.memoryMiB))
                if profiles[Int(e.user)] == nil { profiles[Int(e.user)] = UserProfile(user: event.user, at: event.time) }
                _ = updater.apply(event, to: &profiles[Int(e.user)]!)
            }
        }
        // Hourly mean CPU cores per region, from the per-minute truth.
        let costs = config.features.map(\.cost)
        let demand = regionNames.indices.map { r -> [Double] in
            let cpu = truth.demand(region: r, costs: costs).map(\.cpu)
            return (0..<(days * 24)).map { h in cpu[(h * 60)..<(h * 60 + 60)].reduce(0, +) / 60 / 1000 }
        }
        var list = profiles.compactMap { $0 }
        let segmentation = Segmenter(seed: settings.seed, halfLifeDays: config.profiles.halfLifeDays).run(list, now: origin)
        for i in list.indices { list[i].segment = segmentation.assignments[i] }

        // Profile-driven: full, without covariates, and placing users by the long region mix.
        let h = config.profiles.halfLifeDays, churn = config.profiles.churnAfterDays
        var effects = CovariateEffects(exposure: CovariateExposure(table: table, now: origin, offsets: offsets, halfLifeDays: h))
        for p in list { effects.add(p) }
        func bottomUp(_ effects: CovariateEffects?, longMix: Bool) -> ProfileDemandForecast {
            var f = ProfileDemandForecast(now: origin.adding(seconds: -1), horizon: 24, offsets: offsets, halfLifeDays: h,
                                          churnAfterDays: churn, effects: effects)
            for var p in list {
                if longMix { p.location = [] }
                f.add(p)
            }
            return f
        }
        let full = bottomUp(effects, longMix: false)
        let variants = [full, bottomUp(nil, longMix: false), bottomUp(effects, longMix: true)]

        let affectedSteps = (0..<24).filter { s in
            let t = Timestamp(milliseconds: origin.milliseconds + Int64(s) * 3_600_000)
            return generator.matches.contains { $0.region == to && $0.start.milliseconds < t.milliseconds + 3_600_000 && $0.end > t }
        }
        let calendar = SeriesCalendar(start: spec.start, stepSeconds: 3600)
        var outcome = Outcome(scores: [], affectedSteps: affectedSteps, movedUsers: 0,
                              segments: segmentation.segmentation.segments.count,
                              drivers: full.result(region: settings.to, resource: .cpu, quantiles: []).drivers,
                              demand: Dictionary(uniqueKeysWithValues: regionNames.enumerated().map { ($1, Array(demand[$0].prefix(originHour + 24))) }),
                              historyHours: originHour, origin: origin, destinationRegion: settings.to, originRegion: settings.from)
        for (name, f) in zip(profileModels, variants) {
            outcome.scores.append(outcome.score(name, destination: f.result(region: settings.to, resource: .cpu, quantiles: []).mean,
                                                origin: f.result(region: settings.from, resource: .cpu, quantiles: []).mean))
        }
        for model in ForecastModels.all() {
            let d = model.forecast(ForecastInput(values: Array(demand[to].prefix(originHour)), calendar: calendar), horizon: 24, quantiles: [])
            let o = model.forecast(ForecastInput(values: Array(demand[from].prefix(originHour)), calendar: calendar), horizon: 24, quantiles: [])
            outcome.scores.append(outcome.score(model.name, destination: d.mean, origin: o.mean))
        }
        outcome.movedUsers = (0..<spec.users).filter { u in generator.user(u).move.map { $0.day == spec.migrations[0].day && $0.region == to } ?? false }.count
        return outcome
    }
}
