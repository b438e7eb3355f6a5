/// DNS wire format for RFC 2136 dynamic updates (pure): building an UPDATE message and reading
/// the answer. Names are written uncompressed (always valid; an update is small); names in an
/// answer may be compressed and are followed with a loop check.
public enum DNSMessage {
    /// Resource record types Prescient writes or reads.
    public enum RecordType: UInt16, Sendable {
        case a = 1, soa = 6, txt = 16, aaaa = 28, tsig = 250, any = 255
    }

    /// DNS classes: IN for data, NONE and ANY in updates (RFC 2136 §2.5).
    public enum RecordClass: UInt16, Sendable { case `in` = 1, none = 254, any = 255 }

    /// Response codes (RFC 1035, 2136, 8945 for the TSIG ones in the TSIG record's error field).
    public enum RCode: UInt16, Sendable, Equatable, CustomStringConvertible {
        case noError = 0, formErr = 1, servFail = 2, nxDomain = 3, notImp = 4, refused = 5
        case yxDomain = 6, yxRRSet = 7, nxRRSet = 8, notAuth = 9, notZone = 10
        case badSig = 16, badKey = 17, badTime = 18

        public var description: String {
            switch self {
            case .noError: "NOERROR"
            case .formErr: "FORMERR (the server could not parse the update)"
            case .servFail: "SERVFAIL (server failure)"
            case .nxDomain: "NXDOMAIN"
            case .notImp: "NOTIMP (updates not supported)"
            case .refused: "REFUSED (the key is not allowed to update this zone, or the update was not signed)"
            case .yxDomain: "YXDOMAIN"
            case .yxRRSet: "YXRRSET"
            case .nxRRSet: "NXRRSET"
            case .notAuth: "NOTAUTH (the server is not authoritative for the zone, or the signature was refused)"
            case .notZone: "NOTZONE (a name outside the zone)"
            case .badSig: "BADSIG (the TSIG signature did not verify: wrong secret)"
            case .badKey: "BADKEY (the server does not know the TSIG key)"
            case .badTime: "BADTIME (the clocks differ by more than the fudge)"
            }
        }
    }

    /// One record of an update section. `rdata` is the wire form of the record's data (empty for
    /// a deletion).
    public struct Record: Sendable, Equatable {
        public var name: String
        public var type: RecordType
        public var rclass: RecordClass
        public var ttl: UInt32
        public var rdata: [UInt8]

        public init(name: String, type: RecordType, rclass: RecordClass = .in, ttl: UInt32, rdata: [UInt8]) {
            self.name = name; self.type = type; self.rclass = rclass; self.ttl = ttl; self.rdata = rdata
        }

        /// "Delete an RRset" (RFC 2136 §2.5.2): class ANY, TTL 0, no data.
        public static func deleteRRset(_ name: String, _ type: RecordType) -> Record {
            Record(name: name, type: type, rclass: .any, ttl: 0, rdata: [])
        }

        /// An A record from dotted IPv4 text; nil when it is not one.
        public static func a(_ name: String, _ address: String, ttl: UInt32) -> Record? {
            IPAddress.v4(address).map { Record(name: name, type: .a, ttl: ttl, rdata: $0) }
        }

        /// An AAAA record from IPv6 text; nil when it is not one.
        public static func aaaa(_ name: String, _ address: String, ttl: UInt32) -> Record? {
            IPAddress.v6(address).map { Record(name: name, type: .aaaa, ttl: ttl, rdata: $0) }
        }

        /// A TXT record of character-strings (each ≤ 255 bytes; longer ones are split).
        public static func txt(_ name: String, _ strings: [String], ttl: UInt32) -> Record {
            var rdata: [UInt8] = []
            for s in strings {
                var bytes = Array(s.utf8)[...]
                repeat {
                    let chunk = bytes.prefix(255)
                    rdata.append(UInt8(chunk.count)); rdata += chunk
                    bytes = bytes.dropFirst(chunk.count)
                } while !bytes.isEmpty
            }
            return Record(name: name, type: .txt, ttl: ttl, rdata: rdata)
        }
    }

    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Appends `name` in wire form: labels of 1–63 bytes, the root label last; at most 255 bytes.
    /// `lowercased` gives the canonical form TSIG signs.
    public static func appendName(_ name: String, to out: inout [UInt8], lowercased: Bool = false) throws(FormatError) {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        var length = 1
        if !trimmed.isEmpty {
            for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
                let bytes = Array((lowercased ? label.lowercased() : String(label)).utf8)
                guard (1...63).contains(bytes.count) else { throw FormatError("name '\(name)': a label must be 1–63 bytes") }
                out.append(UInt8(bytes.count)); out += bytes
                length += bytes.count + 1
            }
        }
        guard length <= 255 else { throw FormatError("name '\(name)' is longer than 255 bytes") }
        out.append(0)
    }

    static func append16(_ v: UInt16, _ out: inout [UInt8]) { out.append(UInt8(v >> 8)); out.append(UInt8(v & 0xFF)) }
    static func append32(_ v: UInt32, _ out: inout [UInt8]) { append16(UInt16(v >> 16), &out); append16(UInt16(v & 0xFFFF), &out) }

    static func appendRecord(_ r: Record, _ out: inout [UInt8]) throws(FormatError) {
        try appendName(r.name, to: &out)
        append16(r.type.rawValue, &out); append16(r.rclass.rawValue, &out); append32(r.ttl, &out)
        guard r.rdata.count <= 65_535 else { throw FormatError("\(r.name): record data longer than 65535 bytes") }
        append16(UInt16(r.rdata.count), &out); out += r.rdata
    }

    /// An unsigned UPDATE message: header (opcode 5), the zone (SOA, IN), no prerequisites, the
    /// `updates` in order.
    public static func update(id: UInt16, zone: String, updates: [Record]) throws(FormatError) -> [UInt8] {
        var out: [UInt8] = []
        append16(id, &out)
        append16(5 << 11, &out)                 // QR 0, opcode UPDATE, no flags
        append16(1, &out); append16(0, &out)     // ZOCOUNT, PRCOUNT
        guard updates.count <= 65_535 else { throw FormatError("more than 65535 updates") }
        append16(UInt16(updates.count), &out); append16(0, &out)   // UPCOUNT, ADCOUNT
        try appendName(zone, to: &out)
        append16(RecordType.soa.rawValue, &out); append16(RecordClass.in.rawValue, &out)
        for r in updates { try appendRecord(r, &out) }
        return out
    }
}
