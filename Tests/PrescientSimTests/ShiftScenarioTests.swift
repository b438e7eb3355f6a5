import PrescientCore
import PrescientSim
import Testing

/// The profile-driven forecast against the aggregate-only models when who the users are changes
/// (a small population; `prescient-bench scenario` runs the 50 000-user version).
@Suite struct ShiftScenarioTests {
    static let outcome: ShiftScenario.Outcome = {
        var settings = ShiftScenario.Settings()
        settings.users = 6000
        var offsets: [String: [(at: Int64, offset: Int32)]] = [:]
        for r in PrescientConfig.default.regions { offsets[r.name] = [(at: 0, offset: Int32(fixedOffsets(r.timeZone, monday)))] }
        return ShiftScenario.run(settings, config: .default, offsets: RegionOffsets(transitions: offsets), utcOffset: fixedOffsets)
    }()

    @Test func theProfileDrivenForecastBeatsEveryAggregateOnlyModelInTheAffectedHours() throws {
        let out = Self.outcome
        #expect(out.affectedSteps.count == 3)
        #expect(out.movedUsers > 100)
        let full = try #require(out.scores.first { $0.model == "Profiles" })
        let aggregates = out.scores.filter { !ShiftScenario.profileModels.contains($0.model) }
        #expect(aggregates.count == ForecastModels.names.count)
        for a in aggregates {
            #expect(full.affected <= 0.75 * a.affected, "\(a.model): \(a.affected) vs profiles \(full.affected)")
            #expect(full.destinationDay <= 0.75 * a.destinationDay, "\(a.model): \(a.destinationDay) vs profiles \(full.destinationDay)")
        }
    }

    @Test func eachPartOfTheProfileForecastEarnsItsPlace() throws {
        let out = Self.outcome
        let full = try #require(out.scores.first { $0.model == "Profiles" })
        let noCovariates = try #require(out.scores.first { $0.model == "Profiles (no covariates)" })
        let noLocation = try #require(out.scores.first { $0.model == "Profiles (no recent location)" })
        // The match lift is what catches the match; the recent location is what empties the origin.
        #expect(full.affected < 0.5 * noCovariates.affected)
        #expect(full.originDay < noLocation.originDay)
        #expect(out.drivers.contains { $0.hasPrefix("scheduled event match-extra-1 in 6 of 24 h") })
    }
}
