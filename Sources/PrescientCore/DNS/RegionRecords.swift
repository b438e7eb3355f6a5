/// A DNS RRset Prescient owns: every record of one name and type, replaced as a whole.
public struct DNSRRset: Sendable, Equatable, Hashable {
    public var name: String
    public var type: DNSMessage.RecordType
    public var ttl: UInt32
    /// Record data in presentation form: addresses for A/AAAA, the character-strings for TXT.
    public var values: [String]

    public init(name: String, type: DNSMessage.RecordType, ttl: UInt32, values: [String]) {
        self.name = name; self.type = type; self.ttl = ttl; self.values = values
    }

    /// The update records that replace this RRset atomically: delete the RRset, then add each
    /// record (RFC 2136 §2.5.2 and §2.5.1, in one message). An empty RRset only deletes.
    public func replacement() throws(DNSMessage.FormatError) -> [DNSMessage.Record] {
        var out = [DNSMessage.Record.deleteRRset(name, type)]
        switch type {
        case .a:
            for v in values {
                guard let r = DNSMessage.Record.a(name, v, ttl: ttl) else { throw DNSMessage.FormatError("\(name) A: '\(v)' is not an IPv4 address") }
                out.append(r)
            }
        case .aaaa:
            for v in values {
                guard let r = DNSMessage.Record.aaaa(name, v, ttl: ttl) else { throw DNSMessage.FormatError("\(name) AAAA: '\(v)' is not an IPv6 address") }
                out.append(r)
            }
        case .txt:
            if !values.isEmpty { out.append(.txt(name, values, ttl: ttl)) }
        default:
            throw DNSMessage.FormatError("\(name): Prescient does not write \(type) records")
        }
        return out
    }
}

/// The records that publish a routing plan in DNS (pure): for each region r, the name
/// `<r>.<zone>` answers with the addresses (A and AAAA) of the region that serves most of r's
/// users now, and a TXT record carries the whole split (`"eu-west=67" "us-east=33"`, percent of
/// r's users per serving region, largest first), so clients and operators see the weights.
public enum RegionRecords {
    /// `addresses`: region → its entry addresses (IPv4 and/or IPv6 text). Regions without
    /// addresses get only the TXT record.
    public static func records(plan: RoutingPlan, zone: String, addresses: [String: [String]], ttl: UInt32) -> [DNSRRset] {
        let origin = zone.hasSuffix(".") ? zone : zone + "."
        var out: [DNSRRset] = []
        for (r, region) in plan.regions.enumerated() {
            let name = "\(region).\(origin)"
            let row = plan.shares[r]
            let serving = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? r
            let at = addresses[plan.regions[serving]] ?? []
            let v4 = at.filter { IPAddress.v4($0) != nil }, v6 = at.filter { IPAddress.v6($0) != nil }
            out.append(DNSRRset(name: name, type: .a, ttl: ttl, values: v4))
            out.append(DNSRRset(name: name, type: .aaaa, ttl: ttl, values: v6))
            let split = row.indices.filter { row[$0] > 0 }.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
                .map { "\(plan.regions[$0])=\(Int((row[$0] * 100).rounded()))" }
            out.append(DNSRRset(name: name, type: .txt, ttl: ttl, values: split))
        }
        return out
    }

    /// The RRsets of `wanted` that differ from what was last sent (`sent`, by name and type).
    public static func changed(_ wanted: [DNSRRset], since sent: [DNSRRset]) -> [DNSRRset] {
        var last: [String: DNSRRset] = [:]
        for s in sent { last["\(s.name) \(s.type.rawValue)"] = s }
        return wanted.filter { last["\($0.name) \($0.type.rawValue)"] != $0 }
    }
}
