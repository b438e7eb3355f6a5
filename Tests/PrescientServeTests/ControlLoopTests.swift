import PrescientCore
import PrescientRuntime
import PrescientServe
import Testing

/// The control loop on events fed directly, ticked by hand (no clock, no sleeping).
@Suite struct ControlLoopTests {
    static let start = Timestamp(seconds: 1_772_409_600)   // 2026-03-02T00:00Z

    /// Three days of eu-west viewers: 20 sessions of 10 minutes per minute in the evening, 4 otherwise.
    static func events() -> [Event] {
        var out: [Event] = []
        for minute in stride(from: 0, to: 3 * 1440, by: 1) {
            let hour = (minute / 60) % 24
            for k in 0..<(hour >= 18 ? 20 : 4) {
                out.append(Event(time: start.adding(seconds: Double(minute * 60)), user: "u\(k)", region: "eu-west", feature: "video",
                                 device: .desktop, durationSeconds: 600, bytes: 0, id: "\(minute)-\(k)"))
            }
        }
        return out
    }

    @Test func aTickPlansEveryRegionAndTheAPIServesItsForecastPlanAndDashboard() throws {
        let metrics = MetricsRegistry()
        let log = StructuredLog(format: .json, minimum: .error, now: { Self.start }, write: { _ in })
        let now = Self.start.adding(seconds: 3 * 86_400)
        let loop = ControlLoop(config: .default, start: now, metrics: metrics, log: log)
        _ = try loop.demand.write(Self.events())
        #expect(loop.answer(HTTPRequest(method: "GET", path: "/v1/forecast", query: ["region": "eu-west"]))?.status == 503)
        loop.tick(now: now, monotonic: { 0 })
        let s = loop.snapshot()
        #expect(s.ticks == 1 && s.plans.count == 4)
        // Evening demand: 20 × 120 millicores = 2.4 vCPU of video at 18:00–24:00, 0.48 vCPU otherwise.
        let forecast = try #require(loop.answer(HTTPRequest(method: "GET", path: "/v1/forecast", query: ["region": "eu-west", "resource": "cpu", "horizon": "24"])))
        #expect(forecast.status == 200)
        #expect(forecast.text.hasPrefix(#"{"region":"eu-west","resource":"cpu","unit":"vCPU","step_s":3600,"points":[{"ts":"2026-03-05T00:00:00Z","p10":"#))
        #expect(forecast.text.components(separatedBy: "\"ts\"").count == 25)
        #expect(loop.answer(HTTPRequest(method: "GET", path: "/v1/forecast", query: ["region": "mars"]))?.status == 400)
        #expect(loop.answer(HTTPRequest(method: "GET", path: "/v1/forecast", query: ["region": "eu-west", "horizon": "99"]))?.status == 400)
        let plan = try #require(loop.answer(HTTPRequest(method: "GET", path: "/v1/plan")))
        #expect(plan.status == 200 && plan.text.contains(#""region":"eu-west","ready":"#) && plan.text.contains("\"basis\":"))
        let page = try #require(loop.answer(HTTPRequest(method: "GET", path: "/")))
        #expect(page.status == 200 && page.text.contains("<polyline") && page.text.contains("http-equiv=\"refresh\""))
        #expect(metrics.render().contains(#"prescient_forecast{region="eu-west",resource="cpu",quantile="0.5"}"#))
        #expect(loop.routingPlan().capacity.allSatisfy { $0 > 0 })
    }
}

extension ControlLoopTests {
    @Test func eventsArrivingForFittedHoursRefitTheForecastAtTheNextTick() throws {
        let log = StructuredLog(format: .json, minimum: .error, now: { Self.start }, write: { _ in })
        let now = Self.start.adding(seconds: 3 * 86_400 + 300)
        let loop = ControlLoop(config: .default, start: now, metrics: MetricsRegistry(), log: log)
        loop.tick(now: now, monotonic: { 0 })
        func p90() -> Double? { loop.snapshot().forecasts["eu-west"]?.p90[.cpu]?.first }
        #expect(p90() == 0)
        _ = try loop.demand.write(Self.events())
        loop.tick(now: now.adding(seconds: 60), monotonic: { 0 })
        #expect((p90() ?? 0) > 0.3)
        // The routing plan follows: eu-west now carries all of the demand, so the weights tell.
        #expect(loop.routingPlan().weights()[1] == 256 && loop.routingPlan().weights()[0] == 0)
    }
}
