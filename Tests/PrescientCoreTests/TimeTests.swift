import PrescientCore
import Testing

@Suite struct TimeTests {
    @Test(arguments: [
        ("807256800", Int64(807_256_800_000)),
        ("807256800.25", 807_256_800_250),
        ("807256800123", 807_256_800_123),
        ("1995-08-01T06:00:00Z", 807_256_800_000),
        ("1995-08-01T02:00:00-04:00", 807_256_800_000),
        ("1995-08-01T02:00:00-0400", 807_256_800_000),
        ("1995-08-01 06:00:00.5Z", 807_256_800_500),
        ("1995-08-01t06:00:00.123456z", 807_256_800_123),
        ("1995-08-01T06:00Z", 807_256_800_000),
        ("1995-08-01 06:00", 807_256_800_000),
        ("1995-08-01", 807_235_200_000),
        ("01/Aug/1995:02:00:00 -0400", 807_256_800_000),
        ("17/May/2015:10:05:03 +0000", 1_431_857_103_000),
        ("2016-02-29T23:59:60Z", 1_456_790_399_000),
    ])
    func parsesAcceptedForms(_ text: String, _ expected: Int64) throws {
        let t = try TimestampParser().parse(text).get()
        #expect(t.milliseconds == expected)
    }

    @Test(arguments: [
        ("", "empty"),
        ("yesterday", "not a timestamp: 'yesterday' (expected epoch seconds or milliseconds, RFC 3339, or dd/Mon/yyyy:HH:MM:SS ±hhmm)"),
        ("2015-02-30T00:00:00Z", "no such date or time: '2015-02-30T00:00:00Z'"),
        ("2015-13-01T00:00:00Z", "no such date or time: '2015-13-01T00:00:00Z'"),
        ("2015-05-17T25:00:00Z", "no such date or time: '2015-05-17T25:00:00Z'"),
        ("2015-05-17T10:00:00+25:00", "bad UTC offset in '2015-05-17T10:00:00+25:00'"),
        ("2015-05-17T10:00:00 UTC", "not an RFC 3339 time: '2015-05-17T10:00:00 UTC'"),
        ("17/Mai/2015:10:05:03 +0000", "unknown month in '17/Mai/2015:10:05:03 +0000'"),
        ("17/May/2015:10:05:03 0000", "not an access-log time: '17/May/2015:10:05:03 0000' (expected dd/Mon/yyyy:HH:MM:SS +hhmm)"),
        ("12.5.3", "not a timestamp: '12.5.3'"),
        ("1969-12-31T23:59:59Z", "out of range: '1969-12-31T23:59:59Z' (accepted: 1970-01-01 to 2099-12-31)"),
        ("4102444800", "out of range: '4102444800' (accepted: 1970-01-01 to 2099-12-31)"),
        ("99999999999999999", "epoch value too large: '99999999999999999'"),
    ])
    func rejectsWithReason(_ text: String, _ reason: String) {
        guard case .failure(let e) = TimestampParser().parse(text) else {
            Issue.record("\(text) parsed"); return
        }
        #expect(e.reason == reason)
    }

    @Test func naiveTimesUseTheGivenZone() throws {
        let parser = TimestampParser(naiveZone: FixedUTCOffset(seconds: 3600))
        #expect(try parser.parse("2011-06-01 10:00").get() == Timestamp(seconds: 1_306_918_800))
        // An explicit offset wins over the zone.
        #expect(try parser.parse("2011-06-01T10:00:00Z").get() == Timestamp(seconds: 1_306_922_400))
    }

    @Test(arguments: [Int64(-86_400_000 * 800), -1, 0, 951_782_400_000, 4_102_444_799_999, 1_709_164_800_123])
    func civilTimeRoundTrips(_ ms: Int64) {
        let c = CivilTime(epochMilliseconds: ms)
        #expect(c.epochMilliseconds() == ms)
        #expect(c.isValid)
    }

    @Test func hourOfWeekStartsOnMonday() {
        // 2026-03-02 is a Monday.
        let monday = Timestamp(milliseconds: CivilTime(year: 2026, month: 3, day: 2).epochMilliseconds())
        #expect(monday.hourOfWeek == 0)
        #expect(monday.adding(seconds: 6 * 86_400 + 23 * 3600 + 59).hourOfWeek == 167)
        // 01:00 UTC on Monday is Sunday 20:00 at UTC−5.
        #expect(monday.adding(seconds: 3600).hourOfWeek(utcOffsetSeconds: -5 * 3600) == 6 * 24 + 20)
    }

    @Test func rfc3339Formatting() {
        #expect(Timestamp(milliseconds: 807_256_800_000).rfc3339 == "1995-08-01T06:00:00Z")
        #expect(Timestamp(milliseconds: 807_256_800_007).rfc3339 == "1995-08-01T06:00:00.007Z")
    }
}

@Suite struct SplitMix64Tests {
    @Test func sameSeedSameStream() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
        // The published first output of SplitMix64 seeded with 0.
        var z = SplitMix64(seed: 0)
        #expect(z.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func derivedStreamsDoNotDependOnOrder() {
        let root = SplitMix64(seed: 7)
        var x = root.derive(3)
        _ = root.derive(9)
        var y = root.derive(3)
        #expect(x.next() == y.next())
        var other = root.derive(4)
        #expect(root.derive(3).state != other.state)
        _ = other.next()
    }

    @Test func distributionsHaveTheirMeans() {
        var rng = SplitMix64(seed: 1)
        let n = 200_000
        let units = (0..<n).map { _ in rng.nextUnit() }
        #expect(abs(units.reduce(0, +) / Double(n) - 0.5) < 0.005)
        let poisson = (0..<n).map { _ in Double(rng.nextPoisson(3.5)) }
        #expect(abs(poisson.reduce(0, +) / Double(n) - 3.5) < 0.03)
        let big = (0..<n).map { _ in Double(rng.nextPoisson(80)) }
        #expect(abs(big.reduce(0, +) / Double(n) - 80) < 0.2)
        let ints = (0..<n).map { _ in rng.nextInt(below: 10) }
        #expect(ints.allSatisfy { (0..<10).contains($0) })
    }
}
