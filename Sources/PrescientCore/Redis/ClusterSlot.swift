/// Redis Cluster key → hash slot: CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0) of the key, or
/// of its hash tag — the part between the first `{` and the next `}` when that is non-empty — mod
/// 16384. Keys sharing a tag share a slot (a user's profile and its event stream, say).
public enum ClusterSlot {
    public static let count = 16_384

    public static func of(_ key: String) -> Int { of(Array(key.utf8)) }

    public static func of(_ key: [UInt8]) -> Int {
        var part = key[...]
        if let open = key.firstIndex(of: UInt8(ascii: "{")),
           let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 {
            part = key[(open + 1)..<close]
        }
        return Int(crc16(part)) % count
    }

    /// CRC16-CCITT (XMODEM), as Redis Cluster specifies it.
    public static func crc16(_ bytes: some Collection<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }
}
