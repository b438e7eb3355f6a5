/// FNV-1a, 64-bit: a small, stable hash over bytes (the same in every process, unlike `Hasher`),
/// for identities that are stored or compared across runs. `finalized` applies the SplitMix64
/// finaliser so the high and low bits are both well mixed.
public struct FNV1a: Sendable {
    public private(set) var value: UInt64

    public init(seed: UInt64 = 0) { value = 0xCBF2_9CE4_8422_2325 ^ seed }

    @inline(__always)
    public mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

    public mutating func add(_ bytes: some Sequence<UInt8>) { for b in bytes { add(b) } }

    /// The string's UTF-8 bytes followed by 0xFF (a byte UTF-8 never contains), so consecutive
    /// strings cannot run into each other.
    public mutating func add(_ text: String) { add(text.utf8); add(0xFF) }

    /// The eight bytes of `word`, least significant first.
    public mutating func add(word: UInt64) { for k in 0..<8 { add(UInt8(truncatingIfNeeded: word >> (8 * UInt64(k)))) } }

    public var finalized: UInt64 { SplitMix64.mix(value) }

    /// The finalized hash of a string's UTF-8 bytes (no terminator): a stable spread of ids
    /// over buckets and partitions (routing buckets, stream partitions, lease start points).
    @inline(__always)
    public static func hash(_ text: String) -> UInt64 {
        var h = FNV1a()
        h.add(text.utf8)
        return h.finalized
    }
}
