#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming feature state of one coin, updated in O(1) per market event.
///
/// - Multi-horizon returns use a ring of per-second closing mids: `return_h` is the log return
///   from the last mid of second (now - h) to the current mid.
/// - Volatility is an exponentially weighted realised variance rate (time constant 60 s).
/// - Trade flow imbalance, trade rate and VWAP decay exponentially with the time between prints
///   (10 s for flow and rate, 300 s for VWAP).
public struct FeatureState: Sendable {
    public static let ringSeconds = 128
    public static let volatilityHalfLife = 60.0
    public static let flowTimeConstant = 10.0
    public static let vwapTimeConstant = 300.0

    private var secondMids: [Double]
    private var lastSecond: Int64 = 0
    public private(set) var mid = 0.0
    private var midTime: Int64 = 0
    private var varianceRate = 0.0
    public private(set) var top = BookTop(bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0)
    private var signedVolume = 0.0
    private var totalVolume = 0.0
    private var tradeCount = 0.0
    private var lastTradeTime: Int64 = 0
    private var priceVolume = 0.0
    private var vwapVolume = 0.0
    private var fundingRate = 0.0
    public private(set) var lastEventTime = Timestamp.epoch
    public private(set) var bookUpdates = 0

    public init() { secondMids = [Double](repeating: 0, count: Self.ringSeconds) }

    /// Whether enough data arrived to compute features (a book and a minute of history).
    public var isWarm: Bool { isWarm(after: 60) }

    /// Whether a book arrived and `seconds` of history passed since the first one.
    public func isWarm(after seconds: Double) -> Bool { bookUpdates > 0 && Double(lastSecond - firstSecond) >= seconds }
    private var firstSecond: Int64 = 0

    public mutating func update(_ event: MarketEvent) {
        lastEventTime = event.time
        switch event.payload {
        case .book(let top): updateBook(top, time: event.time.nanoseconds)
        case .trade(let price, let size, let aggressor): updateTrade(price: price, size: size, aggressor: aggressor, time: event.time.nanoseconds)
        case .funding(let rate, _), .fundingSettlement(let rate, _): fundingRate = rate
        }
    }

    private mutating func updateBook(_ newTop: BookTop, time: Int64) {
        let newMid = newTop.mid
        guard newMid > 0, newMid.isFinite else { return }
        top = newTop
        let second = time / 1_000_000_000
        let ring = Int64(Self.ringSeconds)
        if bookUpdates == 0 {
            for i in 0..<Self.ringSeconds { secondMids[i] = newMid }
            lastSecond = second
            firstSecond = second
            midTime = time
            mid = newMid
        } else {
            if second > lastSecond {
                // Seconds without updates close at the previous mid.
                var s = lastSecond + 1
                let end = min(second, lastSecond + ring)
                while s < end {
                    secondMids[Int(s % ring)] = mid
                    s += 1
                }
                lastSecond = second
            }
            let dt = Double(max(time - midTime, 1_000_000)) / 1e9
            if newMid != mid {
                let r = log(newMid / mid)
                let alpha = 1 - exp(-dt / Self.volatilityHalfLife)
                varianceRate += alpha * (r * r / dt - varianceRate)
            }
            midTime = time
            mid = newMid
        }
        secondMids[Int(second % ring)] = newMid
        bookUpdates += 1
    }

    private mutating func updateTrade(price: Double, size: Double, aggressor: Side, time: Int64) {
        guard price > 0, size > 0, price.isFinite, size.isFinite else { return }
        if lastTradeTime != 0 {
            let dt = Double(max(time - lastTradeTime, 0)) / 1e9
            let flowDecay = exp(-dt / Self.flowTimeConstant)
            signedVolume *= flowDecay
            totalVolume *= flowDecay
            tradeCount *= flowDecay
            let vwapDecay = exp(-dt / Self.vwapTimeConstant)
            priceVolume *= vwapDecay
            vwapVolume *= vwapDecay
        }
        lastTradeTime = time
        signedVolume += aggressor == .buy ? size : -size
        totalVolume += size
        tradeCount += 1
        priceVolume += price * size
        vwapVolume += size
    }

    /// Log return in bps from the close of second (now - `seconds`) to the current mid.
    @inlinable func returnBps(_ seconds: Int64, ring: [Double], lastSecond: Int64, mid: Double) -> Double {
        let size = Int64(Self.ringSeconds)
        let past = ring[Int(((lastSecond - seconds) % size + size) % size)]
        return past > 0 ? log(mid / past) * 10_000 : 0
    }

    /// The two figures the regime classifier reads, as `features()` computes them, without the
    /// rest of the vector (the classifier runs once a second per coin; the other returns cost two
    /// logarithms).
    public func regimeInputs() -> (return60sBps: Double, volatilityBps: Double) {
        guard bookUpdates > 0 else { return (0, 0) }
        return (returnBps(60, ring: secondMids, lastSecond: lastSecond, mid: mid), varianceRate.squareRoot() * 10_000)
    }

    /// The feature vector now.
    public func features() -> Features {
        var f = Features()
        guard bookUpdates > 0 else { return f }
        f.return1sBps = returnBps(1, ring: secondMids, lastSecond: lastSecond, mid: mid)
        f.return10sBps = returnBps(10, ring: secondMids, lastSecond: lastSecond, mid: mid)
        f.return60sBps = returnBps(60, ring: secondMids, lastSecond: lastSecond, mid: mid)
        f.volatilityBps = varianceRate.squareRoot() * 10_000
        f.spreadBps = top.spreadBps
        f.bookImbalance = top.imbalance
        f.flowImbalance = totalVolume > 0 ? signedVolume / totalVolume : 0
        if vwapVolume > 0 {
            let vwap = priceVolume / vwapVolume
            f.vwapDistanceBps = (mid - vwap) / vwap * 10_000
        }
        f.tradeRate = tradeCount / Self.flowTimeConstant
        f.fundingRateBps = fundingRate * 10_000
        return f
    }
}
