/// Finds the country of a client address, and the code of a country name.
///
/// Implementation requirements: thread-safe and free of network I/O (a local database file);
/// return ISO 3166-1 alpha-2 codes in upper case; return nil when the address is private,
/// reserved or simply unknown, never a guess.
public protocol CountryLookup: Sendable {
    /// The country of an IPv4 or IPv6 address in text form.
    func countryCode(forAddress address: String) -> String?
    /// The code of an English country name (`United Kingdom` → `GB`), case-insensitive.
    func countryCode(forName name: String) -> String?
}

/// A lookup that knows nothing: every address and name is unknown (the default without GeoIP).
public struct NoCountryLookup: CountryLookup {
    public init() {}
    public func countryCode(forAddress address: String) -> String? { nil }
    public func countryCode(forName name: String) -> String? { nil }
}
