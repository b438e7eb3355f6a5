import PrescientCore
import PrescientRedis
import PrescientGeoIP
import PrescientRuntime
import PrescientSQLite
import PrescientYAML

/// Options and wiring shared by several commands.
enum CommonOptions {
    static let config = OptionSpec("--config", value: "FILE", help: "configuration file (YAML); default: $PRESCIENT_CONFIG, else built-in defaults")
    static let seed = OptionSpec("--seed", value: "N", help: "random seed; the same seed gives the same bytes out (default 1)")
    static let store = OptionSpec("--store", value: "URL", help: "profile store: sqlite:PATH (default: sqlite:DATA_DIR/prescient.db; DATA_DIR is $PRESCIENT_DATA_DIR, else $XDG_DATA_HOME/prescient, else ~/.local/share/prescient)")

    /// The field mapping from every `--map FIELD=COLUMN,…` given (the identity when none).
    static func fieldMapping(_ args: ParsedArguments) throws(UsageError) -> FieldMapping {
        guard let maps = args.values["--map"] else { return FieldMapping() }
        do { return try FieldMapping(parsing: maps.joined(separator: ",")) } catch { throw UsageError("\(error.reason)") }
    }

    /// Where stores and outputs live by default.
    static func dataDirectory(_ context: CommandContext) -> String {
        let env = context.environment
        if let d = env["PRESCIENT_DATA_DIR"], !d.isEmpty { return d }
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/prescient" }
        if let h = env["HOME"], !h.isEmpty { return h + "/.local/share/prescient" }
        return "prescient-data"
    }

    /// The store location from `--store` (nil when `--store none`).
    static func storePath(_ args: ParsedArguments, _ context: CommandContext) throws(UsageError) -> String? {
        guard let url = args.value("--store") else { return dataDirectory(context) + "/prescient.db" }
        if url == "none" { return nil }
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw UsageError("--store: sqlite: needs a path (sqlite:PATH)") }
            return path
        }
        if url.hasPrefix("redis://") { _ = try RedisLocation(url); return url }
        if url.contains("://") { throw UsageError("--store: '\(url)' is not a supported store (sqlite:PATH or redis://HOST:PORT[,HOST:PORT…]/NAMESPACE[?wait=N])") }
        return url
    }

    /// Opens the store at `location`: a redis:// URL (Redis Cluster), else a SQLite file path
    /// (its directory created).
    static func openStore(_ location: String) throws -> any ProfileStore {
        if location.hasPrefix("redis://") { return try RedisLocation(location).openStore() }
        return try openSQLite(location)
    }

    static func openSQLite(_ path: String) throws(RuntimeError) -> SQLiteProfileStore {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try FileAccess.makeDirectory(String(path[..<slash]))
        }
        return try SQLiteProfileStore(path: path)
    }

    /// Opens an existing store for reading; a clear error when there is none yet.
    static func openExistingStore(_ args: ParsedArguments, _ context: CommandContext) throws -> any ProfileStore {
        guard let path = try storePath(args, context) else { throw UsageError("--store none: this command needs a store") }
        if path.hasPrefix("redis://") { return try openStore(path) }
        guard FileAccess.isReadable(path) else {
            throw RuntimeError(.io, "\(path): cannot open: no profile store here yet (run 'prescient ingest' first, or pass --store)")
        }
        return try openStore(path)
    }

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
