import Foundation
import PrescientCore
import PrescientTestKit
import Testing

/// `prescient simulate` on a small long-format demand table.
@Suite struct SimulateCommandTests {
    /// Two regions, 8 hours hourly: eu-west CPU rises from 2 to 40 vCPU and back; us-east flat 3 vCPU.
    static func table() -> String {
        var text = "unique_id,ds,y\n"
        for h in 0..<8 {
            let ds = "2026-03-02 0\(h):00:00"
            let peak = [2.0, 5, 15, 40, 40, 15, 5, 2][h]
            text += "eu-west/cpu,\(ds),\(peak)\neu-west/memory,\(ds),\(peak * 2)\nus-east,\(ds),3\n"
        }
        return text
    }

    @Test func everyPolicyIsReplayedAndReported() throws {
        let input = TestFiles.write(Self.table(), name: "demand.csv")
        let dir = TestFiles.scratchDirectory("simulate") + "/report"
        let r = prescient("simulate", "--series", input, "--policy", "all", "--report", dir)
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("policy ") == true)
        for p in ["Prescient", "HPA", "TargetTracking", "AWSPredictive", "StaticPeak", "Oracle"] {
            #expect(lines.contains { $0.hasPrefix(p + " ") }, "no row for \(p)")
        }
        let json = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: dir + "/report.json"))) as? [String: Any]
        let policies = try #require(json?["policies"] as? [[String: Any]])
        #expect(policies.count == 6)
        #expect((json?["regions"] as? [String]) == ["eu-west", "us-east"])
        // The oracle is the cheapest of all and never short.
        let costs = Dictionary(uniqueKeysWithValues: policies.map { ($0["policy"] as! String, $0["cost"] as! Double) })
        #expect(costs["Oracle"]! <= costs.values.min()! + 1e-9)
        let oracle = try #require(policies.first { $0["policy"] as? String == "Oracle" })
        #expect(oracle["under_provisioned_resource_minutes"] as? Int == 0)
        // Every action has a reason.
        for p in policies { for a in (p["actions"] as? [[String: Any]] ?? []) { #expect((a["reason"] as? String)?.isEmpty == false) } }
        let html = TestFiles.read(dir + "/report.html")
        #expect(html.contains("<svg") && html.contains("<polyline") && html.contains("eu-west: CPU demand and ready capacity"))
        // Self-contained: the only URLs are the SVG namespace declarations.
        #expect(html.components(separatedBy: "http").count == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count)
    }

    @Test func badPoliciesAndIdsAreNamed() {
        let input = TestFiles.write(Self.table(), name: "demand2.csv")
        let unknown = prescient("simulate", "--series", input, "--policy", "Magic")
        #expect(unknown.status == 64 && unknown.err.contains("--policy: unknown policy 'Magic'"))
        let bad = TestFiles.write("unique_id,ds,y\neu-west/gpu,2026-03-02 00:00:00,1\neu-west/gpu,2026-03-02 01:00:00,1\n", name: "gpu.csv")
        let r = prescient("simulate", "--series", bad)
        #expect(r.status == 65 && r.err.contains("unique_id 'eu-west/gpu': unknown resource 'gpu' (cpu, memory, network)"), "\(r.err)")
    }
}

@Suite struct DemoCommandTests {
    @Test func theDemoRunsTheWholeLoopOnASmallPopulation() throws {
        let dir = TestFiles.scratchDirectory("demo")
        let r = prescient("demo", "--users", "600", "--days", "3", "--out", dir)
        #expect(r.status == 0, "\(r.err)")
        for step in ["== a synthetic population: 600 users, 3 days", "== ingest it into user profiles", "== segments", "== forecast every region × resource",
                     "== replay the month through every scaling policy", "demo: done in "] {
            #expect(r.out.contains(step), "missing \(step)")
        }
        #expect(r.out.contains("\nOracle ") && r.out.contains("\nPrescient "))
        #expect(FileManager.default.fileExists(atPath: dir + "/report/report.html"))
        #expect(FileManager.default.fileExists(atPath: dir + "/forecast.csv"))
        // Events replay as the demand the generator's truth file holds (same sessions, same costs).
        let sim = prescient("simulate", "--events", dir + "/pop/events.jsonl", "--policy", "Oracle")
        #expect(sim.status == 0 && sim.err.contains(" events → demand per region-minute"))
    }
}

extension SimulateCommandTests {
    /// An access log's paths are replayed through the regional caches without and with warming.
    @Test func requestPathsAreReplayedThroughTheCachesWithAndWithoutWarming() throws {
        let log = TestFiles.sharedDataFile("semicomplete-apache-2015-05/apache_logs.gz")
        let dir = TestFiles.scratchDirectory("simulate-cache") + "/report"
        let r = prescient("simulate", "--events", log, "--policy", "HPA", "--report", dir, "--warm-rate", "5")
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("warming every 300 s, ≤ 5/s"))
        let json = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: dir + "/report.json"))) as? [String: Any]
        let cache = try #require(json?["cache"] as? [String: Any])
        let without = try #require(cache["without_warming"] as? [String: Any]), with = try #require(cache["with_warming"] as? [String: Any])
        #expect(without["requests"] as? Int == with["requests"] as? Int)
        #expect((without["warm_fetches"] as? Int) == 0 && (with["warm_fetches"] as? Int ?? 0) > 0)
        #expect((with["hit_ratio"] as? Double ?? 0) >= (without["hit_ratio"] as? Double ?? 1))
        #expect(TestFiles.read(dir + "/report.html").contains("Regional caches: hit ratio without and with warming"))
        #expect(prescient("simulate", "--events", log, "--warm-rate", "0").status == 64)
    }
}
