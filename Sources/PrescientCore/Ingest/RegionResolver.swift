/// Decides the region of an event from what the record carries.
///
/// Order: an explicit region (must be configured) → a country (code or name) → the client:
/// an IP address through `CountryLookup`, a host name by the longest configured host suffix, then
/// by its country-code top-level domain (`.uk` → GB) → `ingest.default_region` → rejected.
public struct RegionResolver: Sendable {
    private let regionNames: Set<String>
    private let sortedNames: [String]
    private let regionByCountry: [String: String]
    /// Host suffixes, longest first.
    private let suffixes: [(suffix: String, region: String)]
    private let defaultRegion: String?
    private let countries: any CountryLookup

    public init(config: PrescientConfig, countries: any CountryLookup = NoCountryLookup()) {
        regionNames = Set(config.regionNames)
        sortedNames = config.regionNames
        var byCountry: [String: String] = [:]
        var suffixes: [(String, String)] = []
        for r in config.regions {
            for c in r.countries { byCountry[c] = r.name }
            for s in r.hostSuffixes { suffixes.append((s.lowercased(), r.name)) }
        }
        regionByCountry = byCountry
        self.suffixes = suffixes.sorted { $0.0.count > $1.0.count }
        defaultRegion = config.ingest.defaultRegion
        self.countries = countries
    }

    /// Why a region could not be found: which field, and the reason.
    public func resolve(region: String?, country: String?, client: String?, labels: FieldLabels) -> Result<String, FieldError> {
        if let region {
            if regionNames.contains(region) { return .success(region) }
            return .failure(FieldError(labels[.region], "unknown region '\(excerpt(region))' (configured: \(sortedNames.joined(separator: ", ")))"))
        }
        if let country {
            let trimmed = country.trimmingBlanks
            let code = trimmed.count == 2 ? trimmed.uppercased() : countries.countryCode(forName: trimmed)
            if let code, let r = regionByCountry[code] { return .success(r) }
            if let d = defaultRegion { return .success(d) }
            let what = code.map { "country \($0)" } ?? "country '\(excerpt(trimmed))'"
            return .failure(FieldError(labels[.country], "no region serves \(what) (add it to a region's countries or set ingest.default_region)"))
        }
        guard let client, !client.isEmpty else {
            if let d = defaultRegion { return .success(d) }
            return .failure(FieldError(labels[.region], "missing (no region, country or client to place the event)"))
        }
        let (region, country) = regionForClient(client)
        if let region { return .success(region) }
        if let d = defaultRegion { return .success(d) }
        let why: String
        if let country { why = "country \(country) is in no region's countries" }
        else if IPAddressText.isAddress(client) { why = "the GeoIP database has no country for it" }
        else { why = "no host suffix or country-code domain matches" }
        return .failure(FieldError(labels[.client], "no region for '\(excerpt(client))': \(why) (or set ingest.default_region)"))
    }

    /// The region of a client, and the country found on the way (for messages).
    func regionForClient(_ client: String) -> (region: String?, country: String?) {
        if IPAddressText.isAddress(client) {
            let country = countries.countryCode(forAddress: client)
            return (country.flatMap { regionByCountry[$0] }, country)
        }
        let host = client.lowercased()
        for (suffix, region) in suffixes where host.hasSuffix(suffix) || host == suffix.dropFirstDot {
            return (region, nil)
        }
        // Country-code TLD: the last label, two letters.
        if let dot = host.lastIndex(of: ".") {
            let tld = host[host.index(after: dot)...]
            if tld.count == 2, tld.allSatisfy({ $0.isASCII && $0.isLetter }) {
                let code = tld == "uk" ? "GB" : tld.uppercased()
                return (regionByCountry[code], code)
            }
        }
        return (nil, nil)
    }
}

/// Recognises IP address literals in text.
public enum IPAddressText {
    /// True for dotted-quad IPv4 (`203.0.113.7`) or any text with a colon and hex digits only (IPv6).
    public static func isAddress(_ s: String) -> Bool {
        if s.contains(":") { return s.utf8.allSatisfy { $0 == 58 || $0 == 46 || isHexDigit($0) } }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.utf8.allSatisfy(isDigit) && Int(p)! <= 255 }
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70)
    }
}

extension String {
    var dropFirstDot: Substring { hasPrefix(".") ? dropFirst() : Substring(self) }
}
