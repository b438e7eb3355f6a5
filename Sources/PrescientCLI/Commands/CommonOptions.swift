import PrescientCore
import PrescientGeoIP
import PrescientRuntime
import PrescientYAML

/// Options and wiring shared by several commands.
enum CommonOptions {
    static let config = OptionSpec("--config", value: "FILE", help: "configuration file (YAML); default: $PRESCIENT_CONFIG, else built-in defaults")
    static let seed = OptionSpec("--seed", value: "N", help: "random seed; the same seed gives the same bytes out (default 1)")

    /// The configuration from `--config`, `$PRESCIENT_CONFIG`, or the defaults.
    static func loadConfig(_ args: ParsedArguments, _ context: CommandContext) throws -> PrescientConfig {
        let path = args.value("--config") ?? context.environment["PRESCIENT_CONFIG"]
        return try ConfigLoader.load(path: path)
    }

    static func seed(_ args: ParsedArguments) throws(UsageError) -> UInt64 {
        guard let s = args.value("--seed") else { return 1 }
        guard let v = UInt64(s) else { throw UsageError("--seed: '\(s)' is not a whole number ≥ 0") }
        return v
    }

    /// The IP → country lookup: `--geoip-db PATH` (legacy GeoIP .dat), else Debian's geoip-database
    /// when installed, else none (IP clients then need a default region).
    static func countryLookup(path: String?) throws(RuntimeError) -> any CountryLookup {
        if let path {
            guard let g = GeoIPCountryLookup(ipv4Path: path, ipv6Path: path) else {
                throw RuntimeError(.io, "\(path): cannot open as a GeoIP country database")
            }
            return g
        }
        return GeoIPCountryLookup() ?? NoCountryLookup()
    }
}
