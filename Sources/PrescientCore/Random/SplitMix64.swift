/// A small, fast, seedable generator (Steele, Lea & Flood 2014: SplitMix64).
///
/// Every random draw in Prescient goes through a seeded generator so that the same seed gives the
/// same bytes out. Streams for independent entities (a user, a day) are derived with `derive(_:)`,
/// which mixes the parent state with a key, so results do not depend on the order work is done in.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 output function (a bijective 64-bit finaliser).
    @inline(__always)
    public static func mix(_ x0: UInt64) -> UInt64 {
        var z = x0
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream for `key`, without advancing this one.
    public func derive(_ key: UInt64) -> SplitMix64 {
        SplitMix64(seed: SplitMix64.mix(state ^ SplitMix64.mix(key &+ 0x632B_E59B_D9B4_E019)))
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in 0..<n (n > 0), by Lemire's multiply-shift (bias < n / 2^64).
    @inline(__always)
    public mutating func nextInt(below n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A standard normal draw (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func nextGaussian() -> Double {
        let u1 = max(nextUnit(), 0x1.0p-53)
        let u2 = nextUnit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// A Poisson draw with mean `lambda` (Knuth's product method below 30, normal approximation above).
    public mutating func nextPoisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda < 30 {
            let limit = _exp(-lambda)
            var k = 0
            var p = nextUnit()
            while p > limit { k += 1; p *= nextUnit() }
            return k
        }
        return max(0, Int((lambda + lambda.squareRoot() * nextGaussian()).rounded()))
    }

    /// An exponential draw with the given mean.
    public mutating func nextExponential(mean: Double) -> Double { -mean * _log(1 - nextUnit()) }
}
