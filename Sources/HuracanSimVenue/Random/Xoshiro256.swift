/// xoshiro256** (Blackman and Vigna): a small, fast generator for one coin's private stream.
///
/// A value type, so a coin's generator state travels with the coin and two copies evolve
/// independently. Not cryptographic.
struct Xoshiro256: Sendable, Hashable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the four words from a SplitMix64 sequence started at `seed` (never all zero).
    init(seed: UInt64) {
        var x = seed
        func next() -> UInt64 {
            x &+= CounterHash.gamma
            return CounterHash.mix(x)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
        if s0 | s1 | s2 | s3 == 0 { s0 = CounterHash.gamma }
    }

    @inline(__always) mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always) mutating func nextUnit() -> Double { unitFromBits(next()) }

    /// Uniform in (0, 1].
    @inline(__always) mutating func nextOpenUnit() -> Double { openUnitFromBits(next()) }

    /// Exponential with mean 1.
    @inline(__always) mutating func nextExponential() -> Double { -simLog(nextOpenUnit()) }

    /// A standard normal deviate.
    @inline(__always) mutating func nextNormal() -> Double { normalFromBits(next()) }

    /// Two independent standard normal deviates.
    @inline(__always) mutating func nextNormalPair() -> (Double, Double) { (nextNormal(), nextNormal()) }
}
