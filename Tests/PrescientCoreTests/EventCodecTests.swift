import PrescientCore
import Testing

@Suite struct EventCodecTests {
    static let events = [
        Event(time: Timestamp(milliseconds: 1_772_409_600_123), user: "u1", region: "eu-west", feature: "video", device: .mobile,
              durationSeconds: 61.5, bytes: 1 << 40, resources: ResourceUsage(cpuMilliseconds: 12.5, memoryMiB: nil), id: "e-1", path: "/watch?v=1"),
        Event(time: Timestamp(milliseconds: 1_772_409_000_000), user: "ü✓", region: "us-east", feature: "other", device: .bot),
    ]

    static func decode(_ bytes: [UInt8]) -> [Event]? {
        bytes.withUnsafeBytes { b in
            do { return try EventCodec.decode(b) } catch { return nil }
        }
    }

    @Test func aBatchRoundTrips() {
        #expect(Self.decode(EventCodec.encode(Self.events)) == Self.events)
        #expect(Self.decode([1, 0]) == [])
    }

    @Test func damageIsAnErrorNotACrash() {
        let bytes = EventCodec.encode(Self.events)
        for cut in [1, 5, bytes.count / 2, bytes.count - 1] { #expect(Self.decode(Array(bytes.prefix(cut))) == nil) }
        #expect(Self.decode(bytes + [0]) == nil)
        #expect(Self.decode([9] + bytes.dropFirst()) == nil)
    }
}
