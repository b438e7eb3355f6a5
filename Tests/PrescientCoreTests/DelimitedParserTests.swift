import PrescientCore
import Testing

func delimited(_ header: String, _ record: String, delimiter: UInt8 = UInt8(ascii: ","),
               mapping: FieldMapping = FieldMapping(), config: PrescientConfig = .default) throws -> Result<Event, FieldError> {
    let parser = try Array(header.utf8).withUnsafeBytes { h in
        try DelimitedParser(header: h, delimiter: delimiter, mapping: mapping)
    }
    var normalizer = EventNormalizer(config: config)
    let raw: Result<RawEvent, FieldError> = Array(record.utf8).withUnsafeBytes { p in Result { () throws(FieldError) in try parser.parse(p) } }
    return raw.flatMap { normalizer.normalize($0, labels: parser.labels) }
}

@Suite struct DelimitedParserTests {
    @Test func readsQuotedFieldsAndIgnoresUnknownColumns() throws {
        let e = try delimited("ts,user,note,region,feature,bytes",
                              #"2026-03-02T00:00:00Z,"Smith, ""J""","a, b",eu-west,video,10"#).get()
        #expect(e.user == #"Smith, "J""#)
        #expect(e.region == "eu-west" && e.bytes == 10)
    }

    @Test func quotesCountOnlyAtTheStartOfAField() throws {
        // RFC 4180: a quote that does not open the field is data, so the comma inside splits it.
        #expect(try delimited("ts,user,note,region,feature", #"2026-03-02T00:00:00Z,a,  "x, y" ,eu-west,video"#).failureDescription
                == "line: 6 fields where the header has 5")
    }

    @Test func quotedFieldMaySpanLines() throws {
        let record = "2026-03-02T00:00:00Z,\"multi\nline\",eu-west,video"
        #expect(Array(record.utf8).withUnsafeBytes { !DelimitedParser.needsMoreLines($0) })
        #expect(Array("a,\"open".utf8).withUnsafeBytes { DelimitedParser.needsMoreLines($0) })
        let e = try delimited("ts,user,region,feature", record).get()
        #expect(e.user == "multi\nline")
    }

    @Test func tabsAndMappedColumns() throws {
        let mapping = try FieldMapping(parsing: "user=host,ts=time,path=url")
        let e = try delimited("host\tlogname\ttime\turl\tbytes", "pppa006.compuserve.com\t-\t807256800\t/images/launch-logo.gif\t1713",
                              delimiter: 0x09, mapping: mapping).get()
        #expect(e.user == "pppa006.compuserve.com" && e.region == "us-east" && e.feature == "images" && e.bytes == 1713)
        #expect(e.time == Timestamp(seconds: 807_256_800))
    }

    @Test func countryNamesAndCodesPlaceTheRegion() throws {
        let mapping = try FieldMapping(parsing: "user=CustomerID,ts=InvoiceDate,feature=StockCode,country=Country")
        let header = "InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID,Country"
        #expect(try delimited(header, "536365,85123A,6,2010-12-01 08:26,17850,GB", mapping: mapping).get().region == "eu-west")
        // Without a name table (no GeoIP), a full country name cannot be placed: said clearly.
        #expect(try delimited(header, "536365,85123A,6,2010-12-01 08:26,17850,United Kingdom", mapping: mapping).failureDescription
                == "Country: no region serves country 'United Kingdom' (add it to a region's countries or set ingest.default_region)")
        #expect(try delimited(header, "536365,85123A,6,2010-12-01 08:26,,GB", mapping: mapping).failureDescription
                == "CustomerID: missing or empty")
    }

    @Test(arguments: [
        ("2026-03-02T00:00:00Z,a,eu-west", "line: 3 fields where the header has 4"),
        ("2026-03-02T00:00:00Z,a,eu-west,video,extra", "line: 5 fields where the header has 4"),
        ("2026-03-02T00:00:00Z,\"a\"b,eu-west,video", "line: text after a closing quote at byte 25"),
        ("2026-03-02T00:00:00Z,\"a,eu-west,video", "line: unterminated quoted field"),
        ("03/02/2026,a,eu-west,video", "ts: not a timestamp: '03/02/2026'"),
        ("2026-03-02T00:00:00Z,a,atlantis,video", "region: unknown region 'atlantis' (configured: us-east, eu-west, ap-northeast, ap-southeast)"),
    ])
    func rejectsMalformedRecords(_ record: String, _ message: String) throws {
        #expect(try delimited("ts,user,region,feature", record).failureDescription == message)
    }

    @Test func headerWithoutRequiredColumnsIsExplained() {
        #expect(throws: FieldError("header", "no column for ts (looked for 'ts' or 'time' or 'timestamp'; columns: when, who; use --map ts=COLUMN)")) {
            try Array("when,who".utf8).withUnsafeBytes { h in
                _ = try DelimitedParser(header: h, delimiter: UInt8(ascii: ","), mapping: FieldMapping())
            }
        }
    }
}
