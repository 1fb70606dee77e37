import HuracanCore

/// Counter-based randomness: a SplitMix64 finaliser applied to (key, counter).
///
/// Market and sector factor shocks are drawn as `f(seed, step, factor)` rather than from a
/// stateful generator, so every coin sees the same factor path whichever coins are generated,
/// in whatever order, on whatever thread.
enum CounterHash {
    /// The golden-ratio increment of SplitMix64.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The SplitMix64 output function (Stafford's mix13 variant).
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stream key for `(seed, stream)`; distinct streams give unrelated sequences.
    static func key(seed: UInt64, stream: UInt64) -> UInt64 {
        mix(mix(seed &+ gamma) ^ mix(stream &* 0xD6E8_FEB8_6659_FD93 &+ 0x632B_E59B_D9B4_E019))
    }

    /// 64 random bits for `counter` of the stream `key`: the SplitMix64 sequence itself.
    @inline(__always) static func bits(key: UInt64, counter: Int64) -> UInt64 {
        mix(key &+ (UInt64(bitPattern: counter) &+ 1) &* gamma)
    }

    /// Stream ids of the shared factors.
    static let marketFactor: UInt64 = 1
    static let marketJump: UInt64 = 2
    static let marketJumpSize: UInt64 = 3
    static let aggregateSalt: UInt64 = 0xA5A5_5A5A_C3C3_3C3C
    static func sectorFactor(_ sector: Int) -> UInt64 { 100 + UInt64(sector) }
    /// Per-coin streams: idiosyncratic price path, order flow, static profile.
    static func coinStream(_ coin: CoinIndex, _ purpose: CoinStream) -> UInt64 {
        1_000_000 + UInt64(UInt32(bitPattern: coin)) * 16 + purpose.rawValue
    }
}

/// What a per-coin random stream is used for.
enum CoinStream: UInt64 {
    case path = 1, flow = 2, profile = 3
}
