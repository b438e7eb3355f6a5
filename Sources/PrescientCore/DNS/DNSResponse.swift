/// A DNS answer read from the wire (pure): header, response code, and the TSIG record if any.
/// Names may be compressed; pointers must point backwards and at most 64 are followed, so a
/// malicious loop ends in a `FormatError` naming the offset.
public struct DNSResponse: Sendable, Equatable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: UInt8
    public var truncated: Bool
    public var rcode: DNSMessage.RCode?
    /// The raw 4-bit response code (kept when it is one `RCode` does not name).
    public var rawRCode: UInt16
    public var tsig: TSIG.Fields?
    /// The message without its TSIG record, ARCOUNT − 1 and the original id: what the answer's MAC covers.
    public var unsigned: [UInt8]?

    public init(_ bytes: [UInt8]) throws(DNSMessage.FormatError) {
        var r = Reader(bytes: bytes)
        guard bytes.count >= 12 else { throw DNSMessage.FormatError("answer of \(bytes.count) bytes is shorter than a DNS header") }
        id = try r.u16()
        let flags = try r.u16()
        isResponse = flags & 0x8000 != 0
        opcode = UInt8(flags >> 11 & 0xF)
        truncated = flags & 0x0200 != 0
        rawRCode = flags & 0xF
        rcode = DNSMessage.RCode(rawValue: rawRCode)
        let counts = [try r.u16(), try r.u16(), try r.u16(), try r.u16()]
        for _ in 0..<counts[0] { _ = try r.name(); _ = try r.u16(); _ = try r.u16() }
        tsig = nil; unsigned = nil
        let records = Int(counts[1]) + Int(counts[2]) + Int(counts[3])
        for k in 0..<records {
            let start = r.offset
            let owner = try r.name()
            let type = try r.u16()
            _ = try r.u16(); _ = try r.u32()
            let length = Int(try r.u16())
            let dataStart = r.offset
            guard dataStart + length <= bytes.count else { throw DNSMessage.FormatError("record at offset \(start) runs past the end") }
            if type == DNSMessage.RecordType.tsig.rawValue {
                guard k == records - 1 else { throw DNSMessage.FormatError("TSIG record at offset \(start) is not the last record") }
                let algorithm = try r.name()
                let time = UInt64(try r.u16()) << 32 | UInt64(try r.u32())
                let fudge = try r.u16()
                let mac = try r.bytes(Int(try r.u16()))
                let original = try r.u16()
                let error = try r.u16()
                let other = try r.bytes(Int(try r.u16()))
                guard r.offset == dataStart + length else { throw DNSMessage.FormatError("TSIG record at offset \(start): data length \(length) does not match its fields") }
                tsig = TSIG.Fields(keyName: owner, algorithm: algorithm, timeSigned: time, fudge: fudge, mac: mac,
                                   originalID: original, error: error, other: other)
                var stripped = Array(bytes[..<start])
                stripped[0] = UInt8(original >> 8); stripped[1] = UInt8(original & 0xFF)
                let ar = counts[3] - 1
                stripped[10] = UInt8(ar >> 8); stripped[11] = UInt8(ar & 0xFF)
                unsigned = stripped
            }
            r.offset = dataStart + length
        }
    }

    /// The TSIG error when the answer carries one (BADSIG, BADKEY, BADTIME).
    public var tsigError: DNSMessage.RCode? {
        guard let e = tsig?.error, e != 0 else { return nil }
        return DNSMessage.RCode(rawValue: e)
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func u16() throws(DNSMessage.FormatError) -> UInt16 {
            guard offset + 2 <= bytes.count else { throw DNSMessage.FormatError("truncated at offset \(offset)") }
            defer { offset += 2 }
            return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        }

        mutating func u32() throws(DNSMessage.FormatError) -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }

        mutating func bytes(_ n: Int) throws(DNSMessage.FormatError) -> [UInt8] {
            guard offset + n <= bytes.count else { throw DNSMessage.FormatError("truncated at offset \(offset)") }
            defer { offset += n }
            return Array(bytes[offset..<offset + n])
        }

        /// A name, following compression pointers (each strictly backwards, at most 64).
        mutating func name() throws(DNSMessage.FormatError) -> String {
            var labels: [String] = []
            var at = offset
            var jumped = false
            var jumps = 0
            while true {
                guard at < bytes.count else { throw DNSMessage.FormatError("name at offset \(offset) runs past the end") }
                let len = Int(bytes[at])
                if len == 0 { if !jumped { offset = at + 1 }; break }
                if len & 0xC0 == 0xC0 {
                    guard at + 1 < bytes.count else { throw DNSMessage.FormatError("truncated pointer at offset \(at)") }
                    let target = (len & 0x3F) << 8 | Int(bytes[at + 1])
                    jumps += 1
                    guard target < at, jumps <= 64 else { throw DNSMessage.FormatError("compression pointer loop at offset \(at)") }
                    if !jumped { offset = at + 2 }
                    jumped = true
                    at = target
                    continue
                }
                guard len <= 63, at + 1 + len <= bytes.count else { throw DNSMessage.FormatError("bad label length \(len) at offset \(at)") }
                labels.append(String(decoding: bytes[(at + 1)...(at + len)], as: UTF8.self))
                at += 1 + len
            }
            return labels.joined(separator: ".") + "."
        }
    }
}
