/// A region the service runs in.
public struct RegionSpec: Sendable, Hashable {
    /// Short name used everywhere (`eu-west`); lowercase letters, digits and `-`.
    public var name: String
    /// IANA time zone of the region's users (`Europe/London`), for local rhythms.
    public var timeZone: String
    /// ISO 3166-1 alpha-2 country codes whose clients this region serves.
    public var countries: [String]
    /// Host-name suffixes whose clients this region serves (`.compuserve.com`, `.edu`); longest match wins.
    public var hostSuffixes: [String]
    /// Round-trip latency to each neighbouring region, milliseconds.
    public var neighbours: [String: Double]

    public init(name: String, timeZone: String, countries: [String] = [], hostSuffixes: [String] = [],
                neighbours: [String: Double] = [:]) {
        self.name = name; self.timeZone = timeZone; self.countries = countries
        self.hostSuffixes = hostSuffixes; self.neighbours = neighbours
    }
}
