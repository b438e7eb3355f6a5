import PrescientCore
import Testing

/// Parses and normalises one line against the default configuration: the event, or "field: reason".
func readJSONLine(_ line: String, mapping: FieldMapping = FieldMapping()) -> Result<Event, FieldError> {
    readJSONLine(Array(line.utf8), mapping: mapping)
}

func readJSONLine(_ bytes: [UInt8], mapping: FieldMapping = FieldMapping()) -> Result<Event, FieldError> {
    let parser = JSONLineParser(mapping: mapping)
    var normalizer = EventNormalizer(config: .default)
    let raw: Result<RawEvent, FieldError> = bytes.withUnsafeBytes { p in Result { () throws(FieldError) in try parser.parse(p) } }
    return raw.flatMap { normalizer.normalize($0, labels: parser.labels) }
}

@Suite struct JSONLineParserTests {
    @Test func readsTheCanonicalForm() throws {
        let line = #"{"ts":"2026-03-02T08:13:22.125Z","user":"u000001","region":"eu-west","feature":"video","device":"mobile","duration_s":312.5,"bytes":1048576,"cpu_ms":37500,"mem_mb":96,"id":"u000001-0-3"}"#
        let e = try readJSONLine(line).get()
        #expect(e.time == Timestamp(milliseconds: 1_772_439_202_125))
        #expect(e.user == "u000001" && e.region == "eu-west" && e.feature == "video" && e.device == .mobile)
        #expect(e.durationSeconds == 312.5 && e.bytes == 1_048_576)
        #expect(e.resources == ResourceUsage(cpuMilliseconds: 37_500, memoryMiB: 96))
        #expect(e.id == "u000001-0-3")
    }

    @Test func canonicalOutputReadsBackIdentically() throws {
        let e = Event(time: Timestamp(milliseconds: 1_772_439_202_125), user: "ü \"quoted\"\n", region: "us-east",
                      feature: "search", device: .tablet, durationSeconds: 1.25, bytes: 42,
                      resources: ResourceUsage(cpuMilliseconds: 3.5), id: "x\\y")
        var out: [UInt8] = []
        e.appendJSONLine(to: &out)
        #expect(out.last == 0x0A)
        out.removeLast()
        #expect(try readJSONLine(out).get() == e)
    }

    @Test func acceptsSpacingEscapesNumbersAsStringsAndUnknownKeys() throws {
        let line = #" { "ts" : 1772439202 , "user" : 12345 , "region" : "ap-southeast", "extra": {"nested": [1, {"a": null}], "s": "}"}, "feature" : "caf\u00e9 \ud83d\ude80", "bytes" : "512", "device": "Phone", "duration_s": null } "#
        let e = try readJSONLine(line).get()
        #expect(e.user == "12345")
        #expect(e.feature == "café 🚀")
        #expect(e.bytes == 512 && e.device == .mobile && e.durationSeconds == 0)
    }

    @Test func mapsArbitraryKeys() throws {
        let mapping = try FieldMapping(parsing: "user=customer,ts=when,feature=action,region=dc")
        let e = try readJSONLine(#"{"when":"2026-03-02T00:00:00Z","customer":"c-9","dc":"us-east","action":"checkout"}"#, mapping: mapping).get()
        #expect(e.user == "c-9" && e.feature == "checkout" && e.region == "us-east")
    }

    @Test func firstChoiceSourceNameWinsWhateverTheOrder() throws {
        // "ts" is the first choice for the time, "time" the second.
        let e = try readJSONLine(#"{"time":1,"ts":"2026-03-02T00:00:00Z","user":"a","region":"us-east","feature":"f"}"#).get()
        #expect(e.time == Timestamp(seconds: 1_772_409_600))
    }

    @Test(arguments: [
        (#""#, "line: empty record"),
        (#"[1,2]"#, "line: not a JSON object (starts with '[1,2]')"),
        (#"{"ts":"2026-03-02T00:00:00Z","user":"a","region":"us-east","feature":"f""#, "line: truncated: the object is not closed"),
        (#"{"ts":"2026-03-02T00:00:00Z","user":"a","region":"us-ea"#, "region: truncated: unterminated string"),
        (#"{"ts":"2026-03-02T00:00:00Z","user":"a","region":"us-east","feature":"f","bytes":-5}"#, "bytes: negative: '-5' (expected a whole number ≥ 0)"),
        (#"{"ts":"2026-03-02T00:00:00Z","user":"a","region":"us-east","feature":"f","bytes":"lots"}"#, "bytes: not a whole number: 'lots'"),
        (#"{"ts":"2026-03-02T00:00:00Z","user":"a","region":"us-east","feature":"f","duration_s":true}"#, "duration_s: expected a number, found a boolean"),
        (#"{"ts":"2026-03-02T00:00:00Z","user":{"id":1},"region":"us-east","feature":"f"}"#, "user: expected a string, found an object"),
        (#"{"ts":"2026-02-30T00:00:00Z","user":"a","region":"us-east","feature":"f"}"#, "ts: no such date or time: '2026-02-30T00:00:00Z'"),
        (#"{"ts":"soon","user":"a","region":"us-east","feature":"f"}"#, "ts: not a timestamp: 'soon' (expected epoch seconds or milliseconds, RFC 3339, or dd/Mon/yyyy:HH:MM:SS ±hhmm)"),
        (#"{"user":"a","region":"us-east","feature":"f"}"#, "ts: missing"),
        (#"{"ts":1772409600,"user":"","region":"us-east","feature":"f"}"#, "user: missing or empty"),
        (#"{"ts":1772409600,"user":"a","region":"mars-1","feature":"f"}"#, "region: unknown region 'mars-1' (configured: us-east, eu-west, ap-northeast, ap-southeast)"),
        (#"{"ts":1772409600,"user":"a","region":"us-east"}"#, "feature: missing (no feature or path)"),
        (#"{"ts":1772409600,"user":"a","region":"us-east","feature":"f","device":"toaster"}"#, "device: unknown device 'toaster' (mobile, desktop, tablet, tv, bot, unknown)"),
        (#"{"ts":1772409600,"user":"a","user":"b","region":"us-east","feature":"f"}"#, "user: duplicate key"),
        (#"{"ts":1772409600,"user":"a","region":"us-east","feature":"f"} x"#, "line: unexpected text after the object at byte 63"),
        (#"{"ts":1772409600,"user":"a\qb","region":"us-east","feature":"f"}"#, #"user: unknown escape '\q'"#),
        (#"{"ts":1772409600,"user":"\ud800","region":"us-east","feature":"f"}"#, #"user: unpaired surrogate in \u escape"#),
        (#"{"ts":1772409600 "user":"a"}"#, "line: expected ',' or '}' at byte 18, found '\"'"),
        (#"{ts:1}"#, "line: expected a key at byte 2, found ts:1}"),
    ])
    func rejectsMalformedLinesNamingTheField(_ line: String, _ message: String) {
        switch readJSONLine(line) {
        case .success(let e): Issue.record("accepted: \(e)")
        case .failure(let e): #expect(e.description == message)
        }
    }

    @Test func rejectsInvalidUTF8AndControlCharacters() {
        var bytes = Array(#"{"ts":1772409600,"user":"a"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"","region":"us-east","feature":"f"}"#.utf8)
        #expect(readJSONLine(bytes).failureDescription == "line: invalid UTF-8 at byte 27")
        let control = Array(#"{"ts":1772409600,"user":"a"#.utf8) + [0x01] + Array(#"","region":"us-east","feature":"f"}"#.utf8)
        #expect(readJSONLine(control).failureDescription == "user: control character 0x1 inside a string at byte 27")
    }
}

extension Result where Failure == FieldError {
    var failureDescription: String? {
        if case .failure(let e) = self { return e.description }
        return nil
    }
}
