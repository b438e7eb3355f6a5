/// A value of the Redis serialization protocol (RESP2, and the RESP3 types a cluster client meets):
/// what a command is encoded as and what a reply decodes to.
public enum RESPValue: Sendable, Equatable {
    case simple(String)            // +OK\r\n
    case error(String)             // -MOVED 3999 127.0.0.1:6381\r\n
    case integer(Int64)            // :1000\r\n
    case bulk([UInt8])             // $5\r\nhello\r\n
    case null                      // $-1\r\n, *-1\r\n, _\r\n
    case array([RESPValue])        // *2\r\n…
    case map([(RESPValue, RESPValue)])  // %2\r\n… (RESP3)

    public static func == (a: RESPValue, b: RESPValue) -> Bool {
        switch (a, b) {
        case let (.simple(x), .simple(y)), let (.error(x), .error(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.bulk(x), .bulk(y)): return x == y
        case (.null, .null): return true
        case let (.array(x), .array(y)): return x == y
        case let (.map(x), .map(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// A bulk string's text (UTF-8), or a simple string's.
    public var text: String? {
        switch self {
        case .bulk(let b): return String(decoding: b, as: UTF8.self)
        case .simple(let s): return s
        default: return nil
        }
    }

    /// The (name, value) pairs of a reply that lists fields and values in turn (HGETALL, a stream
    /// entry's fields, XINFO) or of a RESP3 map; names that are not text are skipped, an odd last
    /// element is ignored. nil for any other reply.
    public var fieldPairs: [(name: String, value: RESPValue)]? {
        switch self {
        case .array(let flat):
            return stride(from: 0, to: flat.count - 1, by: 2).compactMap { i in flat[i].text.map { ($0, flat[i + 1]) } }
        case .map(let pairs):
            return pairs.compactMap { k, v in k.text.map { ($0, v) } }
        default:
            return nil
        }
    }

    /// A command as Redis expects it: an array of bulk strings.
    public static func command(_ parts: [String]) -> [UInt8] { command(parts.map { Array($0.utf8) }) }

    public static func command(_ parts: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + parts.reduce(0) { $0 + $1.count + 16 })
        out.append(UInt8(ascii: "*")); out.append(contentsOf: String(parts.count).utf8); out.append(contentsOf: [13, 10])
        for p in parts {
            out.append(UInt8(ascii: "$")); out.append(contentsOf: String(p.count).utf8); out.append(contentsOf: [13, 10])
            out.append(contentsOf: p); out.append(contentsOf: [13, 10])
        }
        return out
    }

    /// The value's wire form (RESP2 where it exists; maps as RESP3).
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    func encode(into out: inout [UInt8]) {
        func line(_ prefix: Character, _ s: String) { out.append(UInt8(ascii: prefix.unicodeScalars.first!)); out.append(contentsOf: s.utf8); out.append(contentsOf: [13, 10]) }
        switch self {
        case .simple(let s): line("+", s)
        case .error(let s): line("-", s)
        case .integer(let i): line(":", String(i))
        case .bulk(let b): line("$", String(b.count)); out.append(contentsOf: b); out.append(contentsOf: [13, 10])
        case .null: line("$", "-1")
        case .array(let a): line("*", String(a.count)); for v in a { v.encode(into: &out) }
        case .map(let m): line("%", String(m.count)); for (k, v) in m { k.encode(into: &out); v.encode(into: &out) }
        }
    }
}
