import PrescientCore
import Testing

/// Each planner rule on its own, on a one-region fleet and exact (or spread) forecasts.
@Suite struct CapacityPlannerTests {
    static let now = Timestamp(milliseconds: CivilTime(year: 2026, month: 3, day: 2, hour: 12).epochMilliseconds())
    /// c: 2 vCPU / 4 GiB, 60 s boot; r: 4 vCPU / 32 GiB, 60 s boot (memory-heavy, dearer).
    static let catalog = [
        InstanceTypeSpec(name: "c", vcpu: 2, memoryGiB: 4, networkGbps: 10, pricePerHour: 0.1, bootSeconds: 60),
        InstanceTypeSpec(name: "r", vcpu: 4, memoryGiB: 32, networkGbps: 10, pricePerHour: 0.3, bootSeconds: 60),
    ]
    /// Lead = 60 s boot + 60 s buffer = 2 min; window = minutes [2, 3).
    static func planner(_ change: (inout ScalingSpec) -> Void = { _ in }) -> CapacityPlanner {
        var s = ScalingSpec()
        s.schedulingBufferSeconds = 60
        s.intervalSeconds = 60
        change(&s)
        var p = CapacityPlanner(scaling: s, slo: SLOSpec(), catalog: catalog)
        p.minHistoryHours = 0
        return p
    }
    /// CPU millicores per minute for 10 minutes; memory and network negligible.
    static func input(cpu: [Double], ready: Int = 2, type: String = "c", observed: Double? = nil) -> CapacityPlanner.Input {
        let forecast: [Resource: QuantileForecast] = [.cpu: QuantileForecast(exact: cpu), .memory: QuantileForecast(exact: cpu.map { _ in 100 }),
                                                      .network: QuantileForecast(exact: cpu.map { _ in 100 })]
        return CapacityPlanner.Input(now: now, region: "eu-west", forecast: forecast, observed: [.cpu: observed ?? cpu[0]],
                                     fleet: RegionFleet(pools: [type: .init(ready: ready)]), recentError: 0.1, historyHours: 500)
    }
    static func launched(_ plan: CapacityPlanner.Plan) -> Int { plan.decisions.filter { $0.delta > 0 }.reduce(0) { $0 + $1.delta } }

    @Test func launchesWhenTheForecastCrossesInsideTheLeadTimeWindowNotBefore() {
        var memory = CapacityPlanner.Memory()
        // 2 × c = 4 vCPU. The jump to 5 vCPU at minute 2 is inside [now + lead, now + lead + interval).
        let soon = Self.planner().plan(Self.input(cpu: [2500, 2500] + Array(repeating: 5000, count: 8)), memory: &memory)
        // max(5 vCPU / 0.8, 5 vCPU × 1.1) = 6.25 vCPU needed; 4 there → launch 2 × c.
        #expect(soon.decisions.map(\.delta) == [2] && soon.decisions[0].instanceType == "c")
        #expect(soon.decisions[0].reason.hasPrefix("scale out: launch 2 × c (ready by 12:01): cpu forecast by 12:02: median 5.0 vCPU"))
        // The same jump at minute 3 is beyond this decision's window: the next minute's decision takes it.
        memory = CapacityPlanner.Memory()
        let later = Self.planner().plan(Self.input(cpu: [2500, 2500, 2500] + Array(repeating: 5000, count: 7)), memory: &memory)
        #expect(Self.launched(later) == 0)
    }

    @Test func theSafetyFactorScalesWhatIsNeeded() {
        var m1 = CapacityPlanner.Memory(), m2 = CapacityPlanner.Memory()
        let cpu = Array(repeating: 5000.0, count: 10)
        let plain = Self.planner { $0.safetyFactor = 1 }.plan(Self.input(cpu: cpu), memory: &m1)
        let wary = Self.planner { $0.safetyFactor = 2 }.plan(Self.input(cpu: cpu), memory: &m2)
        #expect(Self.launched(plain) == 2)   // max(5 / 0.8, 5 × 1) = 6.25 vCPU → 4 × c
        #expect(Self.launched(wary) == 3)    // max(5 / 0.8, 5 × 2) = 10 vCPU → 5 × c
    }

    @Test func betweenTheThresholdsItHolds() {
        var memory = CapacityPlanner.Memory()
        // 3.04 vCPU / 0.8 = 3.8 vCPU needed of 4: 95 %, between scale-in 90 % and 100 %.
        let plan = Self.planner().plan(Self.input(cpu: Array(repeating: 3040, count: 10)), memory: &memory)
        #expect(plan.decisions.isEmpty)
        #expect(plan.hold == "hold: usage between 90 % and 100 %")
        #expect(plan.basis.text.hasSuffix("(95 % of it needed)"))
    }

    @Test func scaleInWaitsForTheStabilisationWindowAndTheCooldown() {
        var memory = CapacityPlanner.Memory()
        let p = Self.planner { $0.cooldownSeconds = 0 }
        // Five minutes ago the planner wanted 10 instances; now 1 vCPU would do with 10 ready.
        memory.recommendations = [.init(time: Self.now.adding(seconds: -240), count: 10)]
        let held = p.plan(Self.input(cpu: Array(repeating: 1000, count: 10), ready: 10), memory: &memory)
        #expect(held.decisions.isEmpty)
        // Six minutes later the high recommendation has left the 300 s window.
        var later = Self.input(cpu: Array(repeating: 1000, count: 10), ready: 10)
        later.now = Self.now.adding(seconds: 360)
        let shrunk = p.plan(later, memory: &memory)
        #expect(shrunk.decisions.count == 1 && shrunk.decisions[0].delta < 0)
        #expect(shrunk.decisions[0].reason.hasPrefix("scale in: terminate"))
        // Within the cooldown of that action, nothing more is terminated.
        var cooled = CapacityPlanner.Memory()
        cooled.lastAction = Self.now.adding(seconds: -30)
        let q = Self.planner { $0.cooldownSeconds = 120 }
        let plan = q.plan(Self.input(cpu: Array(repeating: 1000, count: 10), ready: 10), memory: &cooled)
        #expect(plan.decisions.isEmpty && plan.hold?.hasPrefix("cooldown") == true)
    }

    @Test func theLearningPeriodScalesOutButNeverIn() {
        let p = Self.planner { $0.cooldownSeconds = 0; $0.stabilisationSeconds = 0 }
        // 10 instances for 1 vCPU of demand, with 10 h of history (< 24 h): held, and said why.
        var young = Self.input(cpu: Array(repeating: 1000, count: 10), ready: 10)
        young.historyHours = 10
        var memory = CapacityPlanner.Memory()
        let held = p.plan(young, memory: &memory)
        #expect(held.decisions.isEmpty && held.hold == "learning: 10 h of history < 24 h: scaling out only")
        // Scaling out is not held.
        var rising = Self.input(cpu: Array(repeating: 9000, count: 10), ready: 1)
        rising.historyHours = 10
        #expect(Self.launched(p.plan(rising, memory: &memory)) > 0)
        // With a day of history the same fleet is scaled in.
        var grown = young
        grown.historyHours = 30
        var fresh = CapacityPlanner.Memory()
        #expect(p.plan(grown, memory: &fresh).decisions.first.map { $0.delta < 0 } == true)
    }

    @Test func cooldownAfterAScaleInHoldsAScaleOutUnlessDemandAlreadyExceedsReadyCapacity() {
        let cpu = Array(repeating: 5000.0, count: 10)
        var memory = CapacityPlanner.Memory()
        memory.lastAction = Self.now.adding(seconds: -30)
        memory.lastActionScaledIn = true
        let held = Self.planner().plan(Self.input(cpu: cpu, observed: 3500), memory: &memory)
        #expect(held.decisions.isEmpty && held.hold?.hasPrefix("cooldown: last action (a scale-in) 30 s ago") == true)
        let urgent = Self.planner().plan(Self.input(cpu: cpu, observed: 4500), memory: &memory)
        #expect(Self.launched(urgent) > 0)
        // After a scale-out, a need beyond what is ready or booting launches at once (a ramp).
        var ramp = CapacityPlanner.Memory()
        ramp.lastAction = Self.now.adding(seconds: -30)
        #expect(Self.launched(Self.planner().plan(Self.input(cpu: cpu, observed: 3500), memory: &ramp)) == 2)
        #expect(ramp.lastActionScaledIn == false && ramp.lastAction == Self.now)
    }

    @Test func maxStepMinMaxQuotaAndBudgetBoundTheLaunch() {
        let cpu = Array(repeating: 100_000.0, count: 10)   // 100 vCPU: 79 × c wanted
        var memory = CapacityPlanner.Memory()
        #expect(Self.launched(Self.planner { $0.maxStep = 5 }.plan(Self.input(cpu: cpu), memory: &memory)) == 5)
        memory = CapacityPlanner.Memory()
        #expect(Self.launched(Self.planner { $0.maxInstancesPerRegion = 10 }.plan(Self.input(cpu: cpu), memory: &memory)) == 8)
        // Below the minimum, launch to the minimum even with no demand.
        memory = CapacityPlanner.Memory()
        let empty = Self.planner { $0.minInstancesPerRegion = 3 }.plan(Self.input(cpu: Array(repeating: 0, count: 10), ready: 0), memory: &memory)
        #expect(Self.launched(empty) == 3)
        // Budget: $0.5/h left with 2 × c running ($0.2/h) → 3 more c at $0.1/h.
        memory = CapacityPlanner.Memory()
        var budgeted = Self.input(cpu: cpu)
        budgeted.budgetPerHour = 0.5
        #expect(Self.launched(Self.planner().plan(budgeted, memory: &memory)) == 3)
        // Quota: c capped at 4 in this region; the rest comes as r.
        var quotaCatalog = Self.catalog
        quotaCatalog[0].quota = ["eu-west": 4]
        var p = Self.planner { $0.maxStep = 100 }
        p.catalog = quotaCatalog
        memory = CapacityPlanner.Memory()
        let mixed = p.plan(Self.input(cpu: Array(repeating: 20_000, count: 10)), memory: &memory)
        #expect(mixed.decisions.map(\.instanceType) == ["c", "r"])
        #expect(mixed.decisions[0].delta == 2)
    }

    @Test func theMixCoversEveryResourceAtTheLowestPrice() {
        // 20 GiB of memory and little CPU: 5 × c (4 GiB each, $0.5/h) vs 1 × r (32 GiB, $0.3/h) → r.
        var input = Self.input(cpu: Array(repeating: 500, count: 10), ready: 0)
        input.forecast[.memory] = QuantileForecast(exact: Array(repeating: 20 * 1024 * 0.7 / 1.1, count: 10))
        input.fleet = RegionFleet()
        var memory = CapacityPlanner.Memory()
        let plan = Self.planner().plan(input, memory: &memory)
        #expect(plan.decisions.map(\.instanceType) == ["r"] && plan.decisions[0].delta == 1)
    }

    @Test func theCostModelProvisionsAHigherQuantileForAPremiumPenalty() {
        // A spread forecast: p50 4 vCPU, p99 8 vCPU.
        let spread = QuantileForecast(levels: [0.5, 0.99], values: [Array(repeating: 4000, count: 10), Array(repeating: 8000, count: 10)])
        var input = Self.input(cpu: Array(repeating: 4000, count: 10))
        input.forecast[.cpu] = spread
        var m1 = CapacityPlanner.Memory(), m2 = CapacityPlanner.Memory()
        input.penaltyWeight = 0.01
        let cheap = Self.planner().plan(input, memory: &m1)
        input.penaltyWeight = 100
        let premium = Self.planner().plan(input, memory: &m2)
        #expect(cheap.quantile < premium.quantile)
        #expect(Self.launched(premium) > Self.launched(cheap))
    }

    @Test func aLaunchIsChargedItsCommitmentNotOneMinute() {
        // p50 4 vCPU, p99 8 vCPU; two c (4 vCPU) running. Over a one-minute window at $0.1/h a c
        // costs $0.0017 a minute: against a $0.05 penalty more capacity pays for itself; held at
        // least 60 minutes, an extra c costs $0.1 — no longer worth the tail risk of one minute.
        let spread = QuantileForecast(levels: [0.5, 0.99], values: [Array(repeating: 4000, count: 10), Array(repeating: 8000, count: 10)])
        let cost = CostModel(catalog: Self.catalog, penaltyPerMinute: 0.05)
        let f: [Resource: QuantileForecast] = [.cpu: spread]
        let minute = cost.bestQuantile(f, window: 2..<3, safety: 1, medianCeiling: 1, current: 2, commitMinutes: 0)
        let committed = cost.bestQuantile(f, window: 2..<3, safety: 1, medianCeiling: 1, current: 2, commitMinutes: 60)
        #expect(committed < minute)
        // Instances already running are not charged the commitment: with four there, the tail is kept.
        #expect(cost.bestQuantile(f, window: 2..<3, safety: 1, medianCeiling: 1, current: 4, commitMinutes: 60) == minute)
    }

    @Test func theTrustGateFallsBackToMaxOfPredictiveAndReactiveAndSaysSo() {
        // The forecast says 1 vCPU; the last minute saw 6.
        var input = Self.input(cpu: Array(repeating: 1000, count: 10), observed: 6000)
        input.recentError = 0.6
        var memory = CapacityPlanner.Memory()
        let plan = Self.planner().plan(input, memory: &memory)
        #expect(!plan.trusted)
        #expect(abs((plan.needed[.cpu] ?? 0) - 6000 / 0.7) < 1e-6)   // the reactive set point, no safety factor on top
        #expect(plan.decisions.first?.reason.contains("trust gate: recent forecast error 60 % > 35 %: using max(predictive, reactive)") == true)
        var short = Self.input(cpu: Array(repeating: 1000, count: 10))
        short.historyHours = 10
        var p = Self.planner(); p.minHistoryHours = 168
        #expect(!p.plan(short, memory: &memory).trusted)
    }

    @Test func quantileForecastsInvertConsistently() {
        let f = QuantileForecast(levels: [0.5, 0.9], values: [[100], [228.155]])   // normal, mean 100, sd 100
        #expect(abs(f.value(0.5, minute: 0) - 100) < 1e-9)
        #expect(abs(f.exceedance(228.155, minute: 0) - 0.1) < 1e-4)
        #expect(abs(f.value(0.99, minute: 0) - (100 + 232.6)) < 0.5)
    }
}

@Suite struct DemandTraceBuilderTests {
    @Test func eventsBecomeDemandPerMinuteAtTheirOwnOrTheirFeaturesCost() throws {
        var b = DemandTraceBuilder(config: .default)
        let t0 = Timestamp(milliseconds: CivilTime(year: 2026, month: 3, day: 2, hour: 0).epochMilliseconds())
        // 90 s from 00:00:30 with 45 000 ms of CPU (500 millicores) and 11.25 MB (1000 kbit/s).
        var e = Event(time: t0.adding(seconds: 30), user: "u", region: "eu-west", feature: "video", durationSeconds: 90, bytes: 11_250_000)
        e.resources = ResourceUsage(cpuMilliseconds: 45_000, memoryMiB: 300)
        b.add(e)
        // An earlier event (out of order) extends the trace backwards; its feature's cost applies.
        b.add(Event(time: t0.adding(seconds: -60), user: "v", region: "eu-west", feature: "search", durationSeconds: 60))
        b.add(Event(time: t0, user: "w", region: "mars", feature: "video", durationSeconds: 60))
        let trace = try #require(b.build())
        #expect(trace.start == t0.adding(seconds: -60) && trace.minutes == 3)
        let r = try #require(trace.regions.firstIndex(of: "eu-west"))
        let search = PrescientConfig.default.feature(named: "search")!.cost
        #expect(abs(trace.demand(region: r, .cpu, minute: 0) - search.cpuMillicores) < 1e-9)
        #expect(abs(trace.demand(region: r, .cpu, minute: 1) - 250) < 1e-9)   // half of minute 00:00
        #expect(abs(trace.demand(region: r, .cpu, minute: 2) - 500) < 1e-9)   // all of 00:01
        #expect(abs(trace.demand(region: r, .network, minute: 2) - 1000) < 1e-9)
        #expect(abs(trace.demand(region: r, .memory, minute: 1) - 150) < 1e-9)
        #expect(b.events == 2 && b.unknownRegions == 1)
    }
}
