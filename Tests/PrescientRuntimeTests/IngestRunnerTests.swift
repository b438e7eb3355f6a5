import Foundation
import PrescientCore
import PrescientRuntime
import PrescientTestKit
import Testing

/// Runs an ingest over `paths` into a recording sink; returns the runner's summary, the sink and
/// the rejection messages.
func ingest(_ paths: [String], options: IngestOptions = IngestOptions(), config: PrescientConfig = .default,
            countries: any CountryLookup = NoCountryLookup()) throws -> (IngestSummary, RecordingEventSink, [String]) {
    let runner = IngestRunner(config: config, options: options, countries: countries)
    var rejections: [String] = []
    runner.onReject = { r, _ in rejections.append(r.description) }
    let sink = RecordingEventSink()
    let summary = try runner.run(paths: paths, into: sink)
    return (summary, sink, rejections)
}

@Suite struct IngestRunnerTests {
    static let good = #"{"ts":"2026-03-02T08:00:00Z","user":"u1","region":"eu-west","feature":"video","device":"tv","duration_s":60,"bytes":100}"#

    /// A file with one of each kind of mistake between good lines.
    static func malformedFile() -> String {
        var bytes: [UInt8] = []
        func line(_ s: String) { bytes += Array(s.utf8) + [0x0A] }
        line(good)                                                                        // 1
        line(#"{"ts":"2026-03-02T08:00:00Z","user":"u2","region":"eu-west","feature":"vi"#)  // 2 truncated
        line(#"{"ts":"2026-03-02T08:00:00Z","user":"u3","region":"eu-west","feature":"video","bytes":"many"}"#) // 3 wrong type
        line(#"{"ts":"2026-03-02 25:61","user":"u4","region":"eu-west","feature":"video"}"#) // 4 bad timestamp
        line(#"{"ts":"2026-03-02T08:00:00Z","user":"u5","region":"moon-1","feature":"video"}"#) // 5 unknown region
        bytes += Array(#"{"ts":"2026-03-02T08:00:00Z","user":"u6"#.utf8) + [0xFF, 0xFE] + Array(#"","region":"eu-west","feature":"video"}"#.utf8) + [0x0A] // 6 invalid UTF-8
        bytes += Array(#"{"ts":"2026-03-02T08:00:00Z","user":""#.utf8) + [UInt8](repeating: 0x61, count: 10 << 20) + Array(#""}"#.utf8) + [0x0A] // 7: 10 MB line
        line("")                                                                          // 8 blank: skipped
        line(good.replacingOccurrences(of: "u1", with: "u9"))                             // 9
        line(#"{"ts":"2026-03-02T08:00:00Z","user":"u10","region":"eu-west","feature":"video","duration_s":-3}"#) // 10
        return TestFiles.write(bytes, name: "malformed.jsonl")
    }

    @Test func everyMistakeIsCountedAndNamedAndGoodLinesSurvive() throws {
        let path = Self.malformedFile()
        var options = IngestOptions()
        options.maxRejects = nil
        let (summary, sink, rejections) = try ingest([path], options: options)
        #expect(rejections == [
            "\(path):2: feature: truncated: unterminated string",
            "\(path):3: bytes: not a whole number: 'many'",
            "\(path):4: ts: no such date or time: '2026-03-02 25:61'",
            "\(path):5: region: unknown region 'moon-1' (configured: us-east, eu-west, ap-northeast, ap-southeast)",
            "\(path):6: line: invalid UTF-8 at byte 40",
            "\(path):7: line: 10485799 bytes, longer than the 1048576-byte limit (ingest.max_line_bytes); skipped",
            "\(path):10: duration_s: negative duration: -3.0",
        ])
        #expect(summary.lines == 10 && summary.records == 9 && summary.accepted == 2 && summary.rejected == 7)
        #expect(summary.rejectedByField == ["line": 2, "feature": 1, "bytes": 1, "ts": 1, "region": 1, "duration_s": 1])
        #expect(sink.committed.map(\.user) == ["u1", "u9"])
        #expect(summary.applied)
        #expect(summary.summaryLine.hasPrefix("ingest: read 9 records, accepted 2, rejected 7 (line 2, bytes 1, duration_s 1, feature 1, region 1, ts 1) in "))
    }

    @Test func strictStopsAtTheFirstAndCommitsWhatCameBefore() throws {
        var options = IngestOptions()
        options.strict = true
        let path = Self.malformedFile()
        let (summary, sink, rejections) = try ingest([path], options: options)
        #expect(rejections.count == 1 && summary.stoppedEarly)
        #expect(sink.committed.map(\.user) == ["u1"])
        // The checkpoint stops before the bad line, so a re-run after fixing it resumes there.
        #expect(sink.positions.last??.line == 1)
    }

    @Test func tooManyRejectionsFailTheRunButKeepTheGoodRecords() throws {
        var options = IngestOptions()
        options.maxRejects = 6
        let (summary, sink, _) = try ingest([Self.malformedFile()], options: options)
        #expect(summary.exceededMaxRejects && sink.committed.count == 2)
        options.maxRejects = 7
        let (summary2, _, _) = try ingest([Self.malformedFile()], options: options)
        #expect(!summary2.exceededMaxRejects)
    }

    @Test func commitsEveryNRecordsAndResumesAfterTheLastCommit() throws {
        let lines = (0..<25).map { #"{"ts":\#(1_772_409_600 + $0),"user":"u\#($0 % 3)","region":"eu-west","feature":"f"}"# }
        let path = TestFiles.write(lines.joined(separator: "\n") + "\n", name: "commits.jsonl")
        var options = IngestOptions()
        options.commitEvery = 10
        options.batchSize = 4
        let runner = IngestRunner(config: .default, options: options)
        let sink = RecordingEventSink()
        let summary = try runner.run(paths: [path], into: sink)
        #expect(sink.positions.compactMap { $0?.line } == [10, 20, 25])
        #expect(summary.commits == 3 && sink.committed.count == 25)
        // The same sink (durable in real life) skips everything on a re-run.
        let again = IngestRunner(config: .default, options: options)
        let summary2 = try again.run(paths: [path], into: sink)
        #expect(summary2.skippedLines == 25 && summary2.records == 0 && sink.committed.count == 25)
    }

    @Test func csvRecordsSpanningLinesAndTruncatedAtTheEnd() throws {
        let text = "ts,user,region,feature\n2026-03-02T00:00:00Z,\"two\nlines\",eu-west,video\n2026-03-02T00:00:01Z,ok,eu-west,video\n2026-03-02T00:00:02Z,\"never closed,eu-west,video\n"
        var options = IngestOptions()
        options.maxRejects = nil
        let path = TestFiles.write(text, name: "multi.csv")
        let (summary, sink, rejections) = try ingest([path], options: options)
        #expect(sink.committed.map(\.user) == ["two\nlines", "ok"])
        #expect(rejections == ["\(path):5: line: truncated: quoted field not closed at the end of the file"])
        #expect(summary.records == 3 && summary.lines == 5)
    }

    @Test func badHeaderIsABadInputError() throws {
        let path = TestFiles.write("when,who\n1,2\n", name: "nohead.csv")
        #expect(throws: RuntimeError.self) { _ = try ingest([path]) }
    }

    /// The real Apache log: 10,000 lines, one malformed (line 8899, the agent quote never closes).
    @Test func realApacheLog() throws {
        var config = PrescientConfig.default
        config.ingest.defaultRegion = "us-east" // no GeoIP here: every IP goes to the default
        var options = IngestOptions()
        options.maxRejects = nil
        let path = TestFiles.sharedDataFile("semicomplete-apache-2015-05/apache_logs.gz")
        let (summary, sink, rejections) = try ingest([path], options: options, config: config)
        #expect(summary.records == 10_000 && summary.accepted == 9_999 && summary.rejected == 1)
        #expect(rejections == ["\(path):8899: agent: truncated: no closing quote"])
        let devices = Dictionary(grouping: sink.committed, by: \.device).mapValues(\.count)
        #expect(devices[.bot, default: 0] > 500 && devices[.desktop, default: 0] > 5_000 && devices[.mobile, default: 0] > 100)
        #expect(sink.committed.first?.time == Timestamp(seconds: 1_431_857_103))
        #expect(Set(sink.committed.map(\.user)).count == 1_753)
    }

    /// The real NASA TSV, read as it is through a field map; host names placed by suffix and ccTLD.
    @Test func realNASATSV() throws {
        var options = IngestOptions()
        options.mapping = try FieldMapping(parsing: "user=host,ts=time,path=url")
        options.maxRejects = nil
        let path = TestFiles.sharedDataFile("nasa-http-1995-08-01/nasa_19950801.tsv.gz")
        let (summary, sink, rejections) = try ingest([path], options: options)
        #expect(summary.records == 30_969)
        #expect(summary.accepted == 20_970 && summary.rejected == 9_999)
        // Without GeoIP, numeric hosts and unknown domains are rejected by the client field only.
        #expect(summary.rejectedByField.keys.sorted() == ["client"])
        #expect(rejections.allSatisfy { $0.contains(": client: no region for '") })
        let regions = Dictionary(grouping: sink.committed, by: \.region).mapValues(\.count)
        #expect(regions == ["us-east": 15_546, "eu-west": 3_750, "ap-northeast": 1_186, "ap-southeast": 488])
        #expect(sink.committed.first.map { ($0.user, $0.feature, $0.bytes) } ?? ("", "", 0) == ("pppa006.compuserve.com", "images", 1713))
    }
}
