/// A TSIG key (RFC 8945): its name, the shared secret, and the algorithm (HMAC-SHA256 here).
public struct TSIGKey: Sendable, Equatable {
    public var name: String
    public var secret: [UInt8]
    public var algorithm: String

    public init(name: String, secret: [UInt8], algorithm: String = "hmac-sha256") {
        self.name = name; self.secret = secret; self.algorithm = algorithm
    }

    /// The secret from its base64 text (as `tsig-keygen` prints it); nil when it is not base64.
    public init?(name: String, base64Secret: String) {
        guard let secret = Base64.decode(base64Secret), !secret.isEmpty else { return nil }
        self.init(name: name, secret: secret)
    }
}

/// Signing a DNS message with TSIG and verifying a signed answer (RFC 8945), pure: the HMAC
/// itself is passed in (`mac(secret, data)`), so this module needs no crypto library.
///
/// MAC of a request = HMAC(secret, message ‖ variables); of an answer =
/// HMAC(secret, len(request MAC) ‖ request MAC ‖ answer without its TSIG record, ARCOUNT − 1 ‖
/// variables), where variables = key name (canonical) ‖ class ANY ‖ TTL 0 ‖ algorithm name
/// (canonical) ‖ time signed (48 bits, seconds since 1970) ‖ fudge ‖ error ‖ other length ‖ other.
public enum TSIG {
    public typealias MAC = @Sendable (_ secret: [UInt8], _ data: [UInt8]) -> [UInt8]

    /// The TSIG record's fields (its RDATA, and the owner name = key name).
    public struct Fields: Sendable, Equatable {
        public var keyName: String
        public var algorithm: String
        public var timeSigned: UInt64
        public var fudge: UInt16
        public var mac: [UInt8]
        public var originalID: UInt16
        public var error: UInt16
        public var other: [UInt8]
    }

    static func variables(_ f: Fields) throws(DNSMessage.FormatError) -> [UInt8] {
        var out: [UInt8] = []
        try DNSMessage.appendName(f.keyName, to: &out, lowercased: true)
        DNSMessage.append16(DNSMessage.RecordClass.any.rawValue, &out)
        DNSMessage.append32(0, &out)
        try DNSMessage.appendName(f.algorithm, to: &out, lowercased: true)
        appendTime(f.timeSigned, &out)
        DNSMessage.append16(f.fudge, &out)
        DNSMessage.append16(f.error, &out)
        DNSMessage.append16(UInt16(f.other.count), &out); out += f.other
        return out
    }

    static func appendTime(_ t: UInt64, _ out: inout [UInt8]) {
        DNSMessage.append16(UInt16(truncatingIfNeeded: t >> 32), &out)
        DNSMessage.append32(UInt32(truncatingIfNeeded: t), &out)
    }

    /// `message` with a TSIG record appended (ARCOUNT + 1), and the request's MAC (kept to verify
    /// the answer). `now` is seconds since 1970; `fudge` the clock skew the server accepts, s.
    public static func sign(_ message: [UInt8], key: TSIGKey, now: UInt64, fudge: UInt16 = 300,
                            mac: MAC) throws(DNSMessage.FormatError) -> (wire: [UInt8], mac: [UInt8]) {
        guard message.count >= 12 else { throw DNSMessage.FormatError("message shorter than a header") }
        var fields = Fields(keyName: key.name, algorithm: key.algorithm, timeSigned: now, fudge: fudge, mac: [],
                            originalID: UInt16(message[0]) << 8 | UInt16(message[1]), error: 0, other: [])
        fields.mac = mac(key.secret, message + (try variables(fields)))
        var out = message
        let arcount = UInt16(out[10]) << 8 | UInt16(out[11]) + 1
        out[10] = UInt8(arcount >> 8); out[11] = UInt8(arcount & 0xFF)
        try DNSMessage.appendName(key.name, to: &out, lowercased: true)
        DNSMessage.append16(DNSMessage.RecordType.tsig.rawValue, &out)
        DNSMessage.append16(DNSMessage.RecordClass.any.rawValue, &out)
        DNSMessage.append32(0, &out)
        var rdata: [UInt8] = []
        try DNSMessage.appendName(fields.algorithm, to: &rdata, lowercased: true)
        appendTime(fields.timeSigned, &rdata)
        DNSMessage.append16(fields.fudge, &rdata)
        DNSMessage.append16(UInt16(fields.mac.count), &rdata); rdata += fields.mac
        DNSMessage.append16(fields.originalID, &rdata)
        DNSMessage.append16(0, &rdata)
        DNSMessage.append16(0, &rdata)
        DNSMessage.append16(UInt16(rdata.count), &out); out += rdata
        return (out, fields.mac)
    }

    /// Whether a signed answer's MAC verifies against the request's MAC.
    public static func verify(_ answer: DNSResponse, key: TSIGKey, requestMAC: [UInt8], mac: MAC) -> Bool {
        guard let t = answer.tsig, let stripped = answer.unsigned, t.keyName.lowercased().trimmingDot == key.name.lowercased().trimmingDot else { return false }
        var data: [UInt8] = []
        DNSMessage.append16(UInt16(requestMAC.count), &data); data += requestMAC
        data += stripped
        guard let vars = try? variables(t) else { return false }
        let expected = mac(key.secret, data + vars)
        guard expected.count == t.mac.count else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(expected, t.mac) { diff |= a ^ b }
        return diff == 0
    }
}

extension String {
    var trimmingDot: Substring { hasSuffix(".") ? dropLast() : Substring(self) }
}
