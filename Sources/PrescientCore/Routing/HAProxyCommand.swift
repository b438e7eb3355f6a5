/// Commands of HAProxy's runtime API (the admin-level stats socket), rendered as the text lines it
/// reads, and their replies classified (pure: the adapter only moves bytes). A map refresh is
/// atomic: `prepare map` answers a new version, entries are added to that version — many per
/// command with the payload form (`<<` then one `key value` per line, ended by an empty line) —
/// and `commit map` swaps it in.
public enum HAProxyCommand: Sendable, Equatable {
    case prepareMap(map: String)
    case addMapEntries(map: String, version: Int, entries: [(key: String, value: String)])
    case commitMap(map: String, version: Int)
    case showMap(map: String)
    case setWeight(backend: String, server: String, weight: Int)
    case addServer(backend: String, server: String, address: String, port: Int, weight: Int)
    case enableServer(backend: String, server: String)
    case drainServer(backend: String, server: String)
    case disableServer(backend: String, server: String)
    case deleteServer(backend: String, server: String)

    public static func == (a: HAProxyCommand, b: HAProxyCommand) -> Bool { (try? a.text()) == (try? b.text()) }

    public struct InvalidArgument: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// A map key or value, a backend or server name: non-empty, no whitespace or control characters
    /// (they would split the command), under 256 bytes.
    public static func checked(_ s: String, _ what: String) throws(InvalidArgument) -> String {
        guard !s.isEmpty, s.utf8.count < 256, s.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value != 127 }) else {
            throw InvalidArgument(description: "\(what) '\(s.prefix(40))' must be 1–255 bytes without spaces or control characters")
        }
        return s
    }

    /// The command text, newline-terminated (payload commands end with an empty line).
    public func text() throws(InvalidArgument) -> String {
        switch self {
        case .prepareMap(let map):
            return "prepare map \(try Self.checked(map, "map"))\n"
        case .addMapEntries(let map, let version, let entries):
            var s = "add map @\(version) \(try Self.checked(map, "map")) <<\n"
            for (k, v) in entries { s += "\(try Self.checked(k, "map key")) \(try Self.checked(v, "map value"))\n" }
            return s + "\n"
        case .commitMap(let map, let version):
            return "commit map @\(version) \(try Self.checked(map, "map"))\n"
        case .showMap(let map):
            return "show map \(try Self.checked(map, "map"))\n"
        case .setWeight(let b, let s, let w):
            guard (0...256).contains(w) else { throw InvalidArgument(description: "weight \(w) is out of range 0…256") }
            return "set weight \(try Self.checked(b, "backend"))/\(try Self.checked(s, "server")) \(w)\n"
        case .addServer(let b, let s, let address, let port, let w):
            guard (1...65_535).contains(port) else { throw InvalidArgument(description: "port \(port) is out of range 1…65535") }
            guard (0...256).contains(w) else { throw InvalidArgument(description: "weight \(w) is out of range 0…256") }
            return "add server \(try Self.checked(b, "backend"))/\(try Self.checked(s, "server")) \(try Self.checked(address, "address")):\(port) weight \(w)\n"
        case .enableServer(let b, let s): return "enable server \(try Self.checked(b, "backend"))/\(try Self.checked(s, "server"))\n"
        case .drainServer(let b, let s): return "set server \(try Self.checked(b, "backend"))/\(try Self.checked(s, "server")) state drain\n"
        case .disableServer(let b, let s): return "disable server \(try Self.checked(b, "backend"))/\(try Self.checked(s, "server"))\n"
        case .deleteServer(let b, let s): return "del server \(try Self.checked(b, "backend"))/\(try Self.checked(s, "server"))\n"
        }
    }

    /// What a reply means for this command.
    public enum Reply: Sendable, Equatable {
        case ok
        /// `prepare map`: the new version to add entries to and commit.
        case version(Int)
        /// `show map`: the entries, in order.
        case entries([HAProxyMapEntry])
        /// HAProxy refused; its own words.
        case refused(String)
    }

    /// The reply without the blank lines and spaces around it (and the `>` prompt of an
    /// interactive socket).
    public static func trimmed(_ reply: String) -> String {
        var s = Substring(reply)
        while let c = s.last, c == "\n" || c == " " || c == "\r" || c == ">" { s = s.dropLast() }
        while let c = s.first, c == "\n" || c == " " { s = s.dropFirst() }
        return String(s)
    }

    /// Classifies the reply text (everything read up to EOF).
    public func parse(_ reply: String) -> Reply {
        let text = Self.trimmed(reply)
        switch self {
        case .prepareMap:
            // "New version created: 3"
            if text.hasPrefix("New version created:"), let v = Int(Self.trimmed(String(text.dropFirst("New version created:".count)))) { return .version(v) }
            return .refused(text)
        case .showMap:
            if text.isEmpty { return .entries([]) }
            var out: [HAProxyMapEntry] = []
            for line in text.split(separator: "\n") {
                // "0x55d0c8a5e7d0 key value"
                let parts = line.split(separator: " ", maxSplits: 2)
                guard parts.count == 3, parts[0].hasPrefix("0x") else { return .refused(text) }
                out.append(HAProxyMapEntry(key: String(parts[1]), value: String(parts[2])))
            }
            return .entries(out)
        case .addServer:
            return text.hasPrefix("New server registered") ? .ok : .refused(text)
        case .deleteServer:
            return text.hasPrefix("Server deleted") ? .ok : .refused(text)
        default:
            // Success is silence (or a bare prompt); anything else is HAProxy saying why not.
            return text.isEmpty ? .ok : .refused(text)
        }
    }
}

public struct HAProxyMapEntry: Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}
