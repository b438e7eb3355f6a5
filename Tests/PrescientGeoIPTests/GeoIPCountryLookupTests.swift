import PrescientCore
import PrescientGeoIP
import Testing

/// Against Debian's geoip-database (installed by the test command).
@Suite struct GeoIPCountryLookupTests {
    @Test func looksUpAddressesAndNames() throws {
        let g = try #require(GeoIPCountryLookup(), "install geoip-database (the README's test command does)")
        #expect(g.countryCode(forAddress: "8.8.8.8") == "US")
        #expect(g.countryCode(forAddress: "127.0.0.1") == nil)
        #expect(g.countryCode(forAddress: "10.1.2.3") == nil)
        #expect(g.countryCode(forAddress: "not an address") == nil)
        #expect(g.countryCode(forName: "United Kingdom") == "GB")
        #expect(g.countryCode(forName: "germany") == "DE")
        #expect(g.countryCode(forName: "EIRE") == "IE")
        #expect(g.countryCode(forName: "Atlantis") == nil)
    }

    @Test func placesTheApacheLogsFirstClient() throws {
        let g = try #require(GeoIPCountryLookup())
        let r = RegionResolver(config: .default, countries: g)
        #expect(try r.resolve(region: nil, country: nil, client: "83.149.9.216", labels: .canonical).get() == "eu-west")
    }

    @Test func missingDatabaseIsNil() {
        #expect(GeoIPCountryLookup(ipv4Path: "/nonexistent/GeoIP.dat") == nil)
    }
}
