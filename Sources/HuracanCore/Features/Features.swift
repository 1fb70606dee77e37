/// The streaming features of one coin at one moment. Returns and distances are in basis points;
/// volatility is per square-root second in basis points.
public struct Features: Sendable, Hashable {
    public var return1sBps = 0.0
    public var return10sBps = 0.0
    public var return60sBps = 0.0
    public var volatilityBps = 0.0
    public var spreadBps = 0.0
    public var bookImbalance = 0.0
    public var flowImbalance = 0.0
    public var vwapDistanceBps = 0.0
    public var tradeRate = 0.0
    public var fundingRateBps = 0.0

    public init() {}

    /// Feature names, in `subscript` order; the schema shared with trained models.
    public static let names = [
        "return_1s_bps", "return_10s_bps", "return_60s_bps", "volatility_bps", "spread_bps",
        "book_imbalance", "flow_imbalance", "vwap_distance_bps", "trade_rate", "funding_rate_bps",
    ]
    public static let count = 10
    /// Version of the feature schema; models trained on another version are refused.
    public static let schemaVersion = 1

    @inlinable public subscript(index: Int) -> Double {
        get {
            switch index {
            case 0: return1sBps
            case 1: return10sBps
            case 2: return60sBps
            case 3: volatilityBps
            case 4: spreadBps
            case 5: bookImbalance
            case 6: flowImbalance
            case 7: vwapDistanceBps
            case 8: tradeRate
            default: fundingRateBps
            }
        }
        set {
            switch index {
            case 0: return1sBps = newValue
            case 1: return10sBps = newValue
            case 2: return60sBps = newValue
            case 3: volatilityBps = newValue
            case 4: spreadBps = newValue
            case 5: bookImbalance = newValue
            case 6: flowImbalance = newValue
            case 7: vwapDistanceBps = newValue
            case 8: tradeRate = newValue
            default: fundingRateBps = newValue
            }
        }
    }

    /// Sum of element-wise products, for linear models.
    @inlinable public func dot(_ other: Features) -> Double {
        return1sBps * other.return1sBps + return10sBps * other.return10sBps + return60sBps * other.return60sBps
            + volatilityBps * other.volatilityBps + spreadBps * other.spreadBps + bookImbalance * other.bookImbalance
            + flowImbalance * other.flowImbalance + vwapDistanceBps * other.vwapDistanceBps + tradeRate * other.tradeRate
            + fundingRateBps * other.fundingRateBps
    }
}
