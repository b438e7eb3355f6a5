import Foundation
import PrescientCLI
import PrescientTestKit
import Testing

@Suite struct ProfilesCommandTests {
    @Test func ingestThenShowListExportAndSegment() throws {
        let dir = TestFiles.scratchDirectory("profiles")
        let env = ["PRESCIENT_DATA_DIR": dir]
        #expect(prescient("generate", "--users", "1200", "--days", "7", "--seed", "4", "--out", dir + "/pop").status == 0)
        let ingest = prescient("ingest", dir + "/pop/events.jsonl", "--covariates", dir + "/pop/covariates.csv", environment: env)
        #expect(ingest.status == 0)
        #expect(ingest.err.contains("profiles: ") && ingest.err.contains(" users in \(dir)/prescient.db"))

        let show = prescient("profiles", "show", "u000003", environment: env)
        #expect(show.status == 0)
        for label in ["user        u000003", "seen ", "activity ", "rhythm      weekdays |", "regions ", "devices ", "features ", "cost ", "covariates "] {
            #expect(show.out.contains(label), "missing \(label) in \(show.out)")
        }
        #expect(prescient("profiles", "show", "nobody", environment: env).status == 66)

        let list = prescient("profiles", "list", "--limit", "3", environment: env)
        #expect(list.status == 0)
        let lines = list.out.split(separator: "\n")
        #expect(lines.first?.hasPrefix("user ") == true && lines.count == 6 && lines.last?.hasPrefix("… ") == true)

        let export = prescient("profiles", "export", "--format", "jsonl", environment: env)
        #expect(export.status == 0)
        let rows = export.out.split(separator: "\n")
        #expect(rows.count > 1100)
        let first = try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as? [String: Any]
        #expect((first?["rhythm"] as? [Any])?.count == 168)
        #expect(first?["user"] as? String == "u000000")

        let segments = prescient("segments", "--json", dir + "/segments.json", environment: env)
        #expect(segments.status == 0)
        #expect(segments.out.hasPrefix("seg  users  share  weekday rhythm 0–23h"))
        #expect(segments.out.contains("k chosen by silhouette: k=2 "))
        #expect(segments.out.contains("allocation (share of each segment's activity per region):"))
        let json = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: dir + "/segments.json"))) as? [String: Any]
        #expect((json?["segments"] as? [Any])?.isEmpty == false)
        // Profiles now carry their segment; a second run reports drift against the first.
        #expect(prescient("profiles", "show", "u000003", environment: env).out.contains("segment     "))
        let again = prescient("segments", "--json", dir + "/segments2.json", environment: env)
        #expect(again.out.contains("drift: 0 of "), "\(again.out)")
        #expect(prescient("segments", "--show", "--json", dir + "/s3.json", environment: env).out == again.out)

        // Bottom-up forecast: every region × resource, per segment too, regions the sums of their segments.
        let forecast = prescient("forecast", "--store", "sqlite:\(dir)/prescient.db", "--horizon", "24", "--by-segment", "--level", "80", environment: env)
        #expect(forecast.status == 0, "\(forecast.err)")
        #expect(forecast.err.contains("forecast: eu-west: segment "))
        var totals: [String: [Double]] = [:], sums: [String: [Double]] = [:], seen: [Substring: Int] = [:]
        for line in forecast.out.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",")
            let id = cells[0].split(separator: "/")
            let p50 = Double(cells[2])!, p90 = Double(cells[4])!
            #expect(p90 >= p50 && p50 >= 0)
            let key = id.prefix(2).joined(separator: "/")
            let step = seen[cells[0], default: 0]
            seen[cells[0]] = step + 1
            if id.count == 2 { totals[key, default: []].append(p50) } else { sums[key, default: [Double](repeating: 0, count: 24)][step] += p50 }
        }
        #expect(totals.count == 4 * 3 && totals.values.allSatisfy { $0.count == 24 })
        for (key, t) in totals {
            let s = try #require(sums[key])
            for h in 0..<24 { #expect(abs(t[h] - s[h]) <= 1e-9 * max(1, t[h]), "\(key) step \(h): \(t[h]) vs Σ segments \(s[h])") }
            if key.hasSuffix("/cpu") { #expect(t.reduce(0, +) > 0, "\(key) forecasts no demand") }
        }
    }

    @Test func forecastFromTheStoreAppliesTheComingRainAndEventsOfTheCovariateFile() throws {
        let dir = TestFiles.scratchDirectory("forecast-covariates")
        let env = ["PRESCIENT_DATA_DIR": dir]
        #expect(prescient("generate", "--users", "1500", "--days", "8", "--seed", "5", "--out", dir + "/pop").status == 0)
        // Seven days ingested; the covariate file goes on for the eighth, as a weather forecast would.
        let events = try String(contentsOfFile: dir + "/pop/events.jsonl", encoding: .utf8)
        let week = events.split(separator: "\n").filter { $0 < #"{"ts":"2026-03-09"# }.joined(separator: "\n") + "\n"
        try week.write(toFile: dir + "/week.jsonl", atomically: true, encoding: .utf8)
        #expect(prescient("ingest", dir + "/week.jsonl", "--covariates", dir + "/pop/covariates.csv", environment: env).status == 0)
        #expect(prescient("segments", environment: env).status == 0)
        let store = "sqlite:\(dir)/prescient.db"
        let plain = prescient("forecast", "--store", store, "--horizon", "24", environment: env)
        let informed = prescient("forecast", "--store", store, "--horizon", "24", "--covariates", dir + "/pop/covariates.csv", environment: env)
        #expect(plain.status == 0 && informed.status == 0, "\(informed.err)")
        #expect(informed.err.contains(" of 24 h: "), "\(informed.err)")
        #expect(!plain.err.contains(" of 24 h: "))
        #expect(informed.out != plain.out)
        // Segment priorities weigh each region's penalty through the allocation map: all premium → 5 everywhere.
        let premium = dir + "/premium.yaml"
        let priorities = "slo:\n  segment_priorities: {" + (0...12).map { "\($0): 5" }.joined(separator: ", ") + "}\n"
        try priorities.write(toFile: premium, atomically: true, encoding: .utf8)
        let weighted = prescient("simulate", "--events", dir + "/week.jsonl", "--segments-from", store, "--config", premium, "--policy", "Prescient", environment: env)
        #expect(weighted.status == 0 && weighted.err.contains("penalty weight by region (segment priorities × allocation map): ap-northeast 5.00, ap-southeast 5.00, eu-west 5.00, us-east 5.00"), "\(weighted.err)")
        let bad = dir + "/bad.yaml"
        try "slo:\n  segment_priorities: {gold: 2}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let check = prescient("config", "check", bad)
        #expect(check.status == 65 && check.err.contains("slo.segment_priorities.gold") && check.err.contains("not a segment id"), "\(check.err)")
        let rewound = prescient("forecast", "--store", store, "--horizon", "24", "--now", "2026-03-05T00:00:00Z", environment: env)
        #expect(rewound.status == 64 && rewound.err.contains("is before the newest event in the store"), "\(rewound.err)")
    }

    @Test func commandsWithoutAStoreSaySo() {
        let r = prescient("profiles", "list")
        #expect(r.status == 66)
        #expect(r.err.contains("no profile store here yet (run 'prescient ingest' first, or pass --store)"))
        #expect(prescient("segments", "--store", "redis://x").status == 64)
    }
}
