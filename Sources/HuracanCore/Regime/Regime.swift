/// The market regime of one coin: trending or ranging, with high or low volatility.
/// Raw values are the registry's `regime` column; `all` marks a model trained on every regime.
public enum Regime: String, Sendable, CaseIterable, Codable {
    case trendHighVol = "trend_high_vol"
    case trendLowVol = "trend_low_vol"
    case rangeHighVol = "range_high_vol"
    case rangeLowVol = "range_low_vol"
    case all

    /// The four regimes the classifier produces (everything but `all`).
    public static let classified: [Regime] = [.trendHighVol, .trendLowVol, .rangeHighVol, .rangeLowVol]

    public init(trending: Bool, highVolatility: Bool) {
        switch (trending, highVolatility) {
        case (true, true): self = .trendHighVol
        case (true, false): self = .trendLowVol
        case (false, true): self = .rangeHighVol
        case (false, false): self = .rangeLowVol
        }
    }

    /// Index 0...3 for the classified regimes, 4 for `all`.
    public var index: Int {
        switch self {
        case .trendHighVol: 0
        case .trendLowVol: 1
        case .rangeHighVol: 2
        case .rangeLowVol: 3
        case .all: 4
        }
    }
}
