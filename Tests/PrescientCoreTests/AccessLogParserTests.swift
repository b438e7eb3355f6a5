import PrescientCore
import Testing

/// A country lookup with a fixed table, for tests (the real one is GeoIP).
struct TableCountryLookup: CountryLookup {
    var addresses: [String: String] = [:]
    var names: [String: String] = [:]
    func countryCode(forAddress address: String) -> String? { addresses[address] }
    func countryCode(forName name: String) -> String? { names[name.lowercased()] }
}

func accessLog(_ line: String, countries: any CountryLookup = TableCountryLookup(addresses: ["83.149.9.216": "RU"])) -> Result<Event, FieldError> {
    var normalizer = EventNormalizer(config: .default, countries: countries)
    let raw: Result<RawEvent, FieldError> = Array(line.utf8).withUnsafeBytes { p in
        Result { () throws(FieldError) in try AccessLogParser().parse(p) }
    }
    return raw.flatMap { normalizer.normalize($0, labels: AccessLogParser.labels) }
}

@Suite struct AccessLogParserTests {
    @Test func readsTheCombinedFormat() throws {
        let line = #"83.149.9.216 - - [17/May/2015:10:05:03 +0000] "GET /presentations/logstash-monitorama-2013/images/kibana-search.png HTTP/1.1" 200 203023 "http://semicomplete.com/presentations/logstash-monitorama-2013/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36""#
        let e = try accessLog(line).get()
        #expect(e.user == "83.149.9.216" && e.region == "eu-west")
        #expect(e.time == Timestamp(seconds: 1_431_857_103))
        #expect(e.feature == "presentations" && e.device == .desktop && e.bytes == 203_023)
    }

    @Test func readsTheCommonFormatWithHostNamesAndDashBytes() throws {
        let e = try accessLog(#"bettong.client.uq.oz.au - - [01/Aug/1995:00:00:01 -0400] "GET /history/skylab/skylab.html HTTP/1.0" 304 -"#).get()
        #expect(e.region == "ap-southeast" && e.bytes == 0 && e.device == .unknown && e.feature == "history")
        #expect(e.time == Timestamp(seconds: 807_249_601))
    }

    @Test func escapedQuotesInsideTheAgentAndTrailingFields() throws {
        let e = try accessLog(#"10.0.0.1 - bob [17/May/2015:10:05:03 +0000] "GET /video/x?q=1 HTTP/1.1" 200 5 "-" "Mozilla/5.0 (iPhone; \"quoted\") Mobile" 0.012 upstream"#,
                              countries: TableCountryLookup(addresses: ["10.0.0.1": "US"])).get()
        #expect(e.device == .mobile && e.feature == "video" && e.region == "us-east")
    }

    @Test(arguments: [
        ("", "line: empty line"),
        (#"1.2.3.4 - - 17/May/2015:10:05:03 +0000 "GET / HTTP/1.1" 200 5"#, "time: missing '[' before the time"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000 "GET / HTTP/1.1" 200 5"#, "time: truncated: no closing ']'"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1 200 5"#, "request: truncated: no closing quote"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "\x16\x03\x01" 400 5"#, "request: not 'METHOD path PROTOCOL': '\\x16\\x03\\x01'"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 2000 5"#, "status: not a 3-digit HTTP status: '2000'"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 five"#, "bytes: not a whole number: 'five'"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200"#, "bytes: missing response size"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5 "-" "Googlebot/2.1"#, "agent: truncated: no closing quote"),
        (#"1.2.3.4 - - [31/Jun/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5"#, "time: no such date or time: '31/Jun/2015:10:05:03 +0000'"),
        (#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5"#, "client: no region for '1.2.3.4': the GeoIP database has no country for it (or set ingest.default_region)"),
        (#"host.invalid - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5"#, "client: no region for 'host.invalid': no host suffix or country-code domain matches (or set ingest.default_region)"),
        (#"host.aq.zz - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5"#, "client: no region for 'host.aq.zz': country ZZ is in no region's countries (or set ingest.default_region)"),
    ])
    func rejectsMalformedLines(_ line: String, _ message: String) {
        #expect(accessLog(line).failureDescription == message)
    }

    @Test func defaultRegionAcceptsUnplacedClients() throws {
        var config = PrescientConfig.default
        config.ingest.defaultRegion = "us-east"
        var normalizer = EventNormalizer(config: config)
        let raw = try Array(#"host.invalid - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5"#.utf8).withUnsafeBytes { p in
            try AccessLogParser().parse(p)
        }
        #expect(try normalizer.normalize(raw, labels: AccessLogParser.labels).get().region == "us-east")
    }
}

@Suite struct ResolutionTests {
    @Test(arguments: [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", DeviceClass.desktop),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", .mobile),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36", .mobile),
        ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", .tablet),
        ("Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15", .tablet),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", .bot),
        ("curl/7.88.1", .bot),
        ("Tiny Tiny RSS/1.11 (http://tt-rss.org/)", .bot),
        ("Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36", .tv),
        ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:27.0) Gecko/20100101 Firefox/27.0", .desktop),
        ("-", .unknown),
        ("", .unknown),
    ])
    func classifiesUserAgents(_ ua: String, _ expected: DeviceClass) {
        #expect(DeviceClassifier.classify(ua) == expected)
    }

    @Test(arguments: [
        ("/video/abc.mp4", "video"),
        ("/videos/abc.mp4", "videos"),
        ("/api/search?q=x", "search"),
        ("/api/v1/users", "api"),
        ("/shuttle/missions/sts-70/a.html", "shuttle"),
        ("/whats-new.html", "whats-new.html"),
        ("/", "root"),
        ("/images/", "images"),
    ])
    func mapsPathsToFeatures(_ path: String, _ feature: String) {
        #expect(FeatureRules(features: PrescientConfig.default.features).feature(forPath: path) == feature)
    }

    @Test func featureDepthKeepsMoreSegments() {
        #expect(FeatureRules(features: [], depth: 2).feature(forPath: "/shuttle/missions/sts-70/a.html") == "shuttle/missions")
    }

    @Test(arguments: [
        ("pppa006.compuserve.com", "us-east"),
        ("vcc7.langara.bc.ca", "us-east"),
        ("bettong.client.uq.oz.au", "ap-southeast"),
        ("ns.nasda.go.jp", "ap-northeast"),
        ("www.cam.ac.uk", "eu-west"),
        ("WWW.CAM.AC.UK", "eu-west"),
    ])
    func placesHostNames(_ host: String, _ region: String) throws {
        let r = RegionResolver(config: .default)
        #expect(try r.resolve(region: nil, country: nil, client: host, labels: .canonical).get() == region)
    }

    @Test func longestHostSuffixWins() throws {
        var config = PrescientConfig.default
        config.regions[1].hostSuffixes = [".compuserve.com"]
        let r = RegionResolver(config: config)
        #expect(try r.resolve(region: nil, country: nil, client: "pppa006.compuserve.com", labels: .canonical).get() == "eu-west")
        #expect(try r.resolve(region: nil, country: nil, client: "www.example.com", labels: .canonical).get() == "us-east")
    }

    @Test func countryNamesGoThroughTheLookup() throws {
        let r = RegionResolver(config: .default, countries: TableCountryLookup(names: ["united kingdom": "GB"]))
        #expect(try r.resolve(region: nil, country: "United Kingdom", client: nil, labels: .canonical).get() == "eu-west")
        #expect(try r.resolve(region: nil, country: " jp ", client: nil, labels: .canonical).get() == "ap-northeast")
    }

    @Test(arguments: ["203.0.113.7", "::1", "2001:db8::1", "255.255.255.255"])
    func recognisesAddresses(_ s: String) { #expect(IPAddressText.isAddress(s)) }

    @Test(arguments: ["256.1.1.1", "1.2.3", "host.example.com", "1.2.3.4.5", "face.cafe.example"])
    func rejectsNonAddresses(_ s: String) { #expect(!IPAddressText.isAddress(s)) }

    @Test func mappingSyntaxErrors() {
        #expect(throws: FieldError("--map", "unknown field 'usr' (fields: ts, user, region, feature, device, duration_s, bytes, cpu_ms, mem_mb, id, country, client, agent, path)")) {
            try FieldMapping(parsing: "usr=host")
        }
        #expect(throws: FieldError("--map", "'user' is not field=source")) { try FieldMapping(parsing: "user") }
        #expect(throws: FieldError("--map", "field 'user' mapped twice")) { try FieldMapping(parsing: "user=a,user=b") }
    }

    @Test func sniffsFormats() {
        func sniff(_ s: String) -> InputFormat { Array(s.utf8).withUnsafeBytes { InputFormat.sniff(firstLine: $0) } }
        #expect(sniff(#"{"ts":1}"#) == .jsonl)
        #expect(sniff(#"1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 200 5"#) == .clf)
        #expect(sniff("host\tlogname\ttime") == .tsv)
        #expect(sniff("InvoiceNo,StockCode,Description") == .csv)
        #expect(sniff("a b c d,e") == .csv)
    }
}
