import Foundation
import PrescientCLI
import PrescientTestKit
import Testing

@Suite struct GenerateCommandTests {
    static let files = ["events.jsonl", "users.csv", "demand.csv", "covariates.csv", "segments.csv", "manifest.json"]

    @Test func sameSeedSameBytesAndIngestible() throws {
        let a = TestFiles.scratchDirectory("gen-a"), b = TestFiles.scratchDirectory("gen-b"), c = TestFiles.scratchDirectory("gen-c")
        #expect(prescient("generate", "--users", "1500", "--days", "3", "--seed", "42", "--out", a).status == 0)
        #expect(prescient("generate", "--users", "1500", "--days", "3", "--seed", "42", "--out", b).status == 0)
        #expect(prescient("generate", "--users", "1500", "--days", "3", "--seed", "43", "--out", c).status == 0)
        for f in Self.files {
            let x = try #require(FileManager.default.contents(atPath: a + "/" + f), "\(f) missing")
            #expect(x == FileManager.default.contents(atPath: b + "/" + f), "\(f) differs between runs")
        }
        #expect(FileManager.default.contents(atPath: a + "/events.jsonl") != FileManager.default.contents(atPath: c + "/events.jsonl"))
        // Everything generated is accepted by ingest.
        let r = prescient("ingest", a + "/events.jsonl")
        #expect(r.status == 0 && r.err.contains(", rejected 0 in "))
        let manifest = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: a + "/manifest.json"))) as? [String: Any]
        #expect(manifest?["users"] as? Int == 1500 && manifest?["seed"] as? Int == 42)
        let eventLines = TestFiles.read(a + "/events.jsonl").split(separator: "\n").count
        #expect(manifest?["events"] as? Int == eventLines)
        #expect(TestFiles.read(a + "/users.csv").split(separator: "\n").count == 1501)
        #expect(TestFiles.read(a + "/demand.csv").split(separator: "\n").count == 1 + 4 * 3 * 1440)
        #expect(TestFiles.read(a + "/covariates.csv").split(separator: "\n").count == 1 + 4 * 3 * 24)
    }

    @Test func regionsAndStartAreHonoured() throws {
        let dir = TestFiles.scratchDirectory("gen-r")
        let r = prescient("generate", "--users", "300", "--days", "1", "--regions", "eu-west,ap-southeast", "--start", "2026-06-01", "--out", dir)
        #expect(r.status == 0)
        #expect(r.err.hasPrefix("generate: 300 users × 1 days → "))
        let events = TestFiles.read(dir + "/events.jsonl")
        #expect(!events.contains("\"region\":\"us-east\"") && events.contains("\"region\":\"eu-west\""))
        #expect(events.hasPrefix(#"{"ts":"2026-06-01T"#))
    }
}
