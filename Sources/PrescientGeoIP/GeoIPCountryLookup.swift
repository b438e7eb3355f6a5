import CGeoIP
import PrescientCore
import Synchronization

/// Country of an IP address from Debian's `geoip-database` (MaxMind GeoLite legacy format)
/// through `libGeoIP`, IPv4 and IPv6. Lookups are serialised (libGeoIP handles are not
/// documented as thread-safe); the database is loaded into memory once.
public final class GeoIPCountryLookup: CountryLookup, @unchecked Sendable {
    // The handles are only touched under `lock`; `@unchecked` because raw C pointers are not Sendable.
    private let v4: UnsafeMutablePointer<GeoIP>
    private let v6: UnsafeMutablePointer<GeoIP>?
    private let lock = Mutex<Void>(())
    private let codeByName: [String: String]

    public static let defaultIPv4Path = "/usr/share/GeoIP/GeoIP.dat"
    public static let defaultIPv6Path = "/usr/share/GeoIP/GeoIPv6.dat"

    /// Opens the databases; nil when the IPv4 database is missing (install `geoip-database`).
    public init?(ipv4Path: String = defaultIPv4Path, ipv6Path: String = defaultIPv6Path) {
        let flags = Int32(GEOIP_MEMORY_CACHE.rawValue | GEOIP_SILENCE.rawValue)
        guard let h4 = ipv4Path.withCString({ GeoIP_open($0, flags) }) else { return nil }
        v4 = h4
        v6 = ipv6Path.withCString { GeoIP_open($0, flags) }
        var names: [String: String] = [:]
        let count = Int(GeoIP_num_countries())
        for id in 1..<count {
            guard let c = GeoIP_code_by_id(Int32(id)), let n = GeoIP_name_by_id(Int32(id)) else { continue }
            let code = String(cString: c)
            guard code.count == 2, code != "--" else { continue }
            names[String(cString: n).lowercased()] = code
        }
        // Common short names that differ from the database's official ones.
        for (alias, code) in [("usa", "US"), ("united states of america", "US"), ("uk", "GB"), ("great britain", "GB"),
                              ("eire", "IE"), ("rsa", "ZA"), ("south korea", "KR"), ("korea", "KR"), ("russia", "RU"),
                              ("czech republic", "CZ"), ("czechia", "CZ"), ("vietnam", "VN"), ("iran", "IR"),
                              ("syria", "SY"), ("taiwan", "TW"), ("channel islands", "JE")] where names[alias] == nil {
            names[alias] = code
        }
        codeByName = names
    }

    deinit {
        GeoIP_delete(v4)
        if let v6 { GeoIP_delete(v6) }
    }

    public func countryCode(forAddress address: String) -> String? {
        lock.withLock { _ -> String? in
            let code: UnsafePointer<CChar>?
            if address.contains(":") {
                guard let v6 else { return nil }
                code = address.withCString { GeoIP_country_code_by_addr_v6(v6, $0) }
            } else {
                code = address.withCString { GeoIP_country_code_by_addr(v4, $0) }
            }
            guard let code else { return nil }
            let s = String(cString: code)
            return s.count == 2 && s != "--" ? s : nil
        }
    }

    public func countryCode(forName name: String) -> String? {
        codeByName[name.lowercased()]
    }
}
