import Foundation
import PrescientCLI
import PrescientTestKit
import Testing

@Suite struct IngestCommandTests {
    static let good = #"{"ts":"2026-03-02T08:00:00Z","user":"u1","region":"eu-west","feature":"video"}"#

    @Test func goodFileExitsZeroAndWritesCanonicalEvents() throws {
        let input = TestFiles.write(Self.good + "\n" + Self.good.replacingOccurrences(of: "u1", with: "u2") + "\n", name: "good.jsonl")
        let out = TestFiles.scratchDirectory("out") + "/clean.jsonl"
        let r = prescient("ingest", input, "--out", out)
        #expect(r.status == 0)
        #expect(r.err.hasPrefix("ingest: read 2 records, accepted 2, rejected 0 in "))
        #expect(TestFiles.read(out) == """
        {"ts":"2026-03-02T08:00:00Z","user":"u1","region":"eu-west","feature":"video","device":"unknown","duration_s":0,"bytes":0}
        {"ts":"2026-03-02T08:00:00Z","user":"u2","region":"eu-west","feature":"video","device":"unknown","duration_s":0,"bytes":0}

        """)
    }

    /// What a user sees on a malformed file: each rejection as file:line: field: reason, the summary,
    /// exit 65; the good record is still applied, the bad ones never.
    @Test func malformedFileExits65AndAppliesOnlyTheGoodRecords() throws {
        var bytes = Array((Self.good + "\n").utf8)
        bytes += Array(#"{"ts":"2026-03-02T08:00:00Z","user":"u2","region":"eu-west""#.utf8) + [0x0A]
        bytes += Array(#"{"ts":"2026-03-02","user":"u3","region":"nowhere","feature":"video"}"#.utf8) + [0x0A]
        bytes += Array(#"{"ts":"2026-03-02T08:00:00Z","user":"u"#.utf8) + [0xC0, 0x80] + Array(#"","region":"eu-west","feature":"video"}"#.utf8) + [0x0A]
        let input = TestFiles.write(bytes, name: "bad.jsonl")
        let dir = TestFiles.scratchDirectory("out")
        let r = prescient("ingest", input, "--out", dir + "/clean.jsonl", "--rejects", dir + "/rejects.txt")
        #expect(r.status == 65)
        #expect(r.err.hasPrefix("""
        \(input):2: line: truncated: the object is not closed
        \(input):3: region: unknown region 'nowhere' (configured: us-east, eu-west, ap-northeast, ap-southeast)
        \(input):4: line: invalid UTF-8 at byte 39
        ingest: read 4 records, accepted 1, rejected 3 (line 2, region 1) in
        """))
        #expect(r.err.hasSuffix("ingest: 3 rejections exceed --max-rejects 0 (the good records were applied); pass --max-rejects N or all to accept such input\n"))
        #expect(TestFiles.read(dir + "/clean.jsonl").split(separator: "\n").count == 1)
        let rejects = TestFiles.read(dir + "/rejects.txt").split(separator: "\n")
        #expect(rejects.count == 3)
        guard rejects.count == 3 else { return }
        #expect(rejects[1] == "\(input):3: region: unknown region 'nowhere' (configured: us-east, eu-west, ap-northeast, ap-southeast)\t" + #"{"ts":"2026-03-02","user":"u3","region":"nowhere","feature":"video"}"#)
        // Tolerating them applies the good line and exits 0.
        let tolerant = prescient("ingest", input, "--out", dir + "/clean.jsonl", "--max-rejects", "3")
        #expect(tolerant.status == 0 && TestFiles.read(dir + "/clean.jsonl").split(separator: "\n").count == 1)
    }

    @Test func strictStopsAtTheFirstRejection() {
        let input = TestFiles.write(Self.good + "\n{}\n" + Self.good + "\n", name: "s.jsonl")
        let out = TestFiles.scratchDirectory("out") + "/o.jsonl"
        let r = prescient("ingest", input, "--strict", "--out", out)
        #expect(r.status == 65)
        #expect(r.err.contains("\(input):2: ts: missing\n"))
        #expect(r.err.contains("read 2 records, accepted 1, rejected 1 (ts 1) in "))
        #expect(r.err.contains(" records/s); stopped at the first rejection (--strict): what came before it is applied\n"))
        #expect(TestFiles.read(out).split(separator: "\n").count == 1)
    }

    @Test func missingInputExits66() {
        let r = prescient("ingest", "/nonexistent/x.jsonl")
        #expect(r.status == 66 && r.err == "prescient ingest: /nonexistent/x.jsonl: cannot open: No such file or directory\n")
    }

    @Test func longRunsShowProgressOnlyOnATerminal() {
        let input = TestFiles.write(String(repeating: Self.good + "\n", count: 20_000), name: "p.jsonl")
        #expect(!prescient("ingest", input).err.contains("\r"))
        #expect(prescient("ingest", input, terminal: true).err.contains("\r\u{1B}[2Kingest: "))
    }

    @Test func manyRejectionsAreCappedOnScreenButAllCounted() {
        let input = TestFiles.write(String(repeating: "{}\n", count: 25), name: "empty-objects.jsonl")
        let r = prescient("ingest", input, "--max-rejects", "all")
        #expect(r.status == 0)
        #expect(r.err.components(separatedBy: ": ts: missing\n").count - 1 == 10)
        #expect(r.err.contains("… 15 more rejections not shown (--rejects FILE keeps them all)\n"))
        #expect(r.err.contains("ingest: read 25 records, accepted 0, rejected 25 (ts 25) in "))
    }

    // Real files, with GeoIP for IP clients.

    @Test func realApacheCombinedLog() {
        let r = prescient("ingest", TestFiles.sharedDataFile("semicomplete-apache-2015-05/apache_logs.gz"), "--max-rejects", "all")
        #expect(r.status == 0)
        #expect(r.err.contains("apache_logs.gz:8899: agent: truncated: no closing quote\n"))
        #expect(r.err.contains("ingest: read 10000 records, accepted "))
        // Clients GeoIP places in no configured region are rejected by the client field, named.
        let summary = r.err.split(separator: "\n").last { $0.hasPrefix("ingest: read") } ?? ""
        #expect(summary.contains("rejected 1 (agent 1)"), "\(summary)")
    }

    @Test func realNASATSVAsItIs() {
        let out = TestFiles.scratchDirectory("nasa") + "/nasa.jsonl"
        let r = prescient("ingest", TestFiles.sharedDataFile("nasa-http-1995-08-01/nasa_19950801.tsv.gz"),
                          "--map", "user=host,ts=time,path=url", "--max-rejects", "all", "--out", out)
        #expect(r.status == 0)
        #expect(r.err.contains("ingest: read 30969 records, accepted "))
        let lines = TestFiles.read(out).split(separator: "\n")
        #expect(lines.first == #"{"ts":"1995-08-01T06:00:00Z","user":"pppa006.compuserve.com","region":"us-east","feature":"images","device":"unknown","duration_s":0,"bytes":1713,"path":"/images/launch-logo.gif"}"#)
        #expect(lines.count > 29_000)
    }

    @Test func realRetailCSVWithCountryNamesAndLocalTimes() {
        let out = TestFiles.scratchDirectory("uci") + "/uci.jsonl"
        let r = prescient("ingest", TestFiles.sharedDataFile("uci-online-retail/online_retail.csv.gz"),
                          "--map", "user=CustomerID,ts=InvoiceDate,feature=StockCode,country=Country", "--tz", "Europe/London",
                          "--max-rejects", "all", "--out", out)
        #expect(r.status == 0)
        // 135,080 lines have no customer; 305 name a country that is no country (Unspecified, European Community).
        #expect(r.err.contains("ingest: read 541909 records, accepted 406524, rejected 135385 (CustomerID 135080, Country 305) in "))
        #expect(r.err.contains("online_retail.csv.gz:1452: CustomerID: missing or empty\n"))
        let first = TestFiles.read(out).prefix { $0 != "\n" }
        // 2010-12-01 08:26 in London (GMT in December) is 08:26Z.
        #expect(first == #"{"ts":"2010-12-01T08:26:00Z","user":"17850","region":"eu-west","feature":"85123A","device":"unknown","duration_s":0,"bytes":0}"#)
    }
}

extension IngestCommandTests {
    /// Redis URLs are checked before anything connects: a clear usage error naming what is wrong.
    @Test(arguments: [
        (["ingest", "x.jsonl", "--to", "redis-stream://127.0.0.1:7000"], "give a name after the nodes"),
        (["ingest", "x.jsonl", "--to", "redis-stream://127.0.0.1:7000/ev?partitions=0"], "partitions must be 1…4096"),
        (["ingest", "x.jsonl", "--to", "redis-stream://127.0.0.1:7000/ev?shards=3"], "unknown option 'shards'"),
        (["ingest", "x.jsonl", "--to", "kafka://h/ev"], "is not redis-stream://"),
        (["ingest", "--from", "redis-stream://127.0.0.1:7000/ev", "x.jsonl"], "give no FILE"),
        (["profiles", "list", "--store", "redis://h:notaport/ns"], "nodes must be HOST:PORT"),
        (["profiles", "list", "--store", "mongodb://h/ns"], "not a supported store"),
    ])
    func redisLocationsAreValidated(args: [String], why: String) {
        let r = prescient(args)
        #expect(r.status == 64, "\(r.err)")
        #expect(r.err.contains(why), "\(r.err)")
    }
}
