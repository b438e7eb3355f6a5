/// Textual IP addresses to their network bytes (pure; no resolver).
public enum IPAddress {
    /// Dotted-quad IPv4 (`192.0.2.7`) → 4 bytes; nil when not exactly four decimal octets.
    public static func v4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let v = UInt8(p), !(p.count > 1 && p.hasPrefix("0")) else { return nil }
            out.append(v)
        }
        return out
    }

    /// IPv6 text (RFC 4291 §2.2: eight groups of hex, one `::` run, a trailing dotted quad) → 16 bytes.
    public static func v6(_ text: String) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        var halves = [text]
        if let r = text.firstRange(of: "::") {
            halves = [String(text[..<r.lowerBound]), String(text[r.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        }
        func groups(_ s: String) -> [UInt8]? {
            if s.isEmpty { return [] }
            var out: [UInt8] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in parts.enumerated() {
                if i == parts.count - 1, p.contains("."), let v4 = v4(String(p)) { out += v4; continue }
                guard (1...4).contains(p.count), let v = UInt16(p, radix: 16) else { return nil }
                out.append(UInt8(v >> 8)); out.append(UInt8(v & 0xFF))
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
