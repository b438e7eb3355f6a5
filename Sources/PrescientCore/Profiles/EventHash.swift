/// A stable 64-bit identity of an event, for idempotent re-delivery: the event's `id` when it has
/// one, otherwise its content (user, time, feature, region, device, duration, bytes). FNV-1a over
/// the bytes, then the SplitMix64 finaliser; the same in every process (unlike `Hasher`).
public enum EventHash {
    public static func of(_ e: Event) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func byte(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        @inline(__always) func text(_ s: String) { for b in s.utf8 { byte(b) }; byte(0xFF) }
        @inline(__always) func word(_ v: UInt64) { for k in 0..<8 { byte(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
        text(e.user)
        if let id = e.id {
            byte(1); text(id)
        } else {
            byte(2)
            word(UInt64(bitPattern: e.time.milliseconds))
            text(e.feature); text(e.region); text(e.device.rawValue)
            word(e.durationSeconds.bitPattern)
            word(UInt64(bitPattern: e.bytes))
        }
        return SplitMix64.mix(h)
    }
}
