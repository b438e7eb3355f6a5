/// A stable 64-bit identity of an event, for idempotent re-delivery: the event's `id` when it has
/// one, otherwise its content (user, time, feature, region, device, duration, bytes). FNV-1a over
/// the bytes (`FNV1a`), then the SplitMix64 finaliser; the same in every process.
public enum EventHash {
    public static func of(_ e: Event) -> UInt64 {
        var h = FNV1a()
        h.add(e.user)
        if let id = e.id {
            h.add(1); h.add(id)
        } else {
            h.add(2)
            h.add(word: UInt64(bitPattern: e.time.milliseconds))
            h.add(e.feature); h.add(e.region); h.add(e.device.rawValue)
            h.add(word: e.durationSeconds.bitPattern)
            h.add(word: UInt64(bitPattern: e.bytes))
        }
        return h.finalized
    }
}
