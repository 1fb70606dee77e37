/// Which engine process owns which coin when several run side by side (process `index` of
/// `count`): consistent hashing of coin names on a ring with virtual nodes, so each process
/// gets a near-equal share and changing the process count moves only about 1/n of the coins.
public struct CoinAssignment: Sendable, Hashable {
    public let index: Int
    public let count: Int
    /// Ring points per process; more points, more even shares.
    public static let virtualNodes = 128

    private let ring: [(point: UInt64, process: Int)]

    public static func == (a: CoinAssignment, b: CoinAssignment) -> Bool { a.index == b.index && a.count == b.count }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(index)
        hasher.combine(count)
    }

    /// - Precondition: 0 <= index < count.
    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "process \(index) of \(count)")
        self.index = index
        self.count = count
        var ring: [(UInt64, Int)] = []
        for process in 0..<count {
            for node in 0..<Self.virtualNodes { ring.append((Self.hash("process-\(process)#\(node)"), process)) }
        }
        self.ring = ring.sorted { $0.0 < $1.0 }
    }

    /// The process that owns `coin`: the first ring point at or after the coin's hash.
    public func owner(of coin: String) -> Int {
        guard count > 1 else { return 0 }
        let h = Self.hash(coin)
        var low = 0, high = ring.count
        while low < high {
            let mid = (low + high) / 2
            if ring[mid].point < h { low = mid + 1 } else { high = mid }
        }
        return ring[low == ring.count ? 0 : low].process
    }

    public func owns(_ coin: String) -> Bool { owner(of: coin) == index }

    /// FNV-1a 64 followed by a SplitMix finaliser: stable across runs and platforms (unlike
    /// Swift's seeded `Hasher`), well spread for short names.
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}
