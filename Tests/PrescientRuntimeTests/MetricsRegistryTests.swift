import PrescientRuntime
import Testing

/// The Prometheus text format, byte for byte.
@Suite struct MetricsRegistryTests {
    @Test func rendersCountersGaugesAndHistogramsInDeclarationOrder() {
        let m = MetricsRegistry()
        m.declare("prescient_events_total", .counter, help: "Events by outcome.")
        m.declare("prescient_forecast", .gauge, help: "Forecast demand.")
        m.declare("prescient_ingest_seconds", .histogram, help: "Ingest latency.", buckets: [0.01, 0.1])
        m.add("prescient_events_total", [("outcome", "accepted")], 3)
        m.add("prescient_events_total", [("outcome", "rejected"), ("reason", "ts: \"bad\"\nline")])
        m.add("prescient_events_total", [("outcome", "accepted")], 2)
        m.set("prescient_forecast", [("region", "eu-west"), ("quantile", "0.9")], 1.25)
        m.observe("prescient_ingest_seconds", [], 0.005)
        m.observe("prescient_ingest_seconds", [], 0.05)
        m.observe("prescient_ingest_seconds", [], 3)
        m.add("undeclared_total")
        #expect(m.render() == """
        # HELP prescient_events_total Events by outcome.
        # TYPE prescient_events_total counter
        prescient_events_total{outcome="accepted"} 5
        prescient_events_total{outcome="rejected",reason="ts: \\"bad\\"\\nline"} 1
        # HELP prescient_forecast Forecast demand.
        # TYPE prescient_forecast gauge
        prescient_forecast{region="eu-west",quantile="0.9"} 1.25
        # HELP prescient_ingest_seconds Ingest latency.
        # TYPE prescient_ingest_seconds histogram
        prescient_ingest_seconds_bucket{le="0.01"} 1
        prescient_ingest_seconds_bucket{le="0.1"} 2
        prescient_ingest_seconds_bucket{le="+Inf"} 3
        prescient_ingest_seconds_sum 3.055
        prescient_ingest_seconds_count 3

        """)
        #expect(m.value("prescient_events_total", [("outcome", "accepted")]) == 5)
    }
}
