import HuracanCore

/// The closed trades of a run as the backtest report needs them, gathered one round at a time, so
/// a long backtest does not keep its trades: per-coin and per-style groups, exit reasons, fees,
/// funding, gains and losses, each trade's net P&L for the histogram (4 bytes a trade), each
/// coin's cumulative P&L line and the run's cumulative P&L by close time, both thinned to a
/// bounded number of points.
public struct TradeTally: Sendable {
    /// Closed trades counted.
    public private(set) var count = 0
    private var coinGroups: [String: BacktestReport.Group] = [:]
    private var styleGroups: [String: BacktestReport.Group] = [:]
    private var reasons: [String: Int] = [:]
    public private(set) var fees = 0.0
    public private(set) var funding = 0.0
    /// Sums of the winning trades' net P&L and of the losing trades' (as a positive number).
    public private(set) var gains = 0.0
    public private(set) var losses = 0.0
    /// Sum of the trades' net P&L.
    public private(set) var net = 0.0
    /// Net P&L of each trade, in the order added (single precision: it draws the histogram).
    public private(set) var nets: [Float] = []
    /// Per coin: cumulative net P&L after each of its trades (the per-coin sparkline).
    private var coinCurves: [String: ThinnedSeries<Double>] = [:]
    /// The run's cumulative net P&L at each close (the equity line of a run without equity samples).
    private var closeCurve = ThinnedSeries<ClosePoint>(capacity: 50_000)

    struct ClosePoint: Sendable {
        var time: Timestamp
        var net: Double
    }

    public init() {}

    /// Counts closed trades (open ones are ignored).
    public mutating func add<S: Sequence>(_ trades: S) where S.Element == Trade {
        for trade in trades {
            guard let closedAt = trade.closedAt else { continue }
            count += 1
            let value = trade.netPnL.doubleValue
            let duration = Double(closedAt - trade.openedAt) / 1e9
            Self.add(value, duration: duration, to: &coinGroups, trade.coin)
            Self.add(value, duration: duration, to: &styleGroups, trade.style.rawValue)
            reasons[trade.exitReason?.rawValue ?? "open", default: 0] += 1
            fees += trade.fees.doubleValue
            funding += trade.funding.doubleValue
            if value > 0 { gains += value } else if value < 0 { losses -= value }
            net += value
            nets.append(Float(value))
            let before = coinCurves[trade.coin]?.last ?? 0
            coinCurves[trade.coin, default: ThinnedSeries(capacity: 256)].append(before + value)
            closeCurve.append(ClosePoint(time: closedAt, net: net))
        }
    }

    private static func add(_ value: Double, duration: Double, to groups: inout [String: BacktestReport.Group], _ key: String) {
        groups[key, default: BacktestReport.Group(name: key)].add(net: value, durationSeconds: duration)
    }

    public var coins: [BacktestReport.Group] { coinGroups.values.sorted { $0.name < $1.name } }
    public var styles: [BacktestReport.Group] { styleGroups.values.sorted { $0.name < $1.name } }
    /// Exit reasons, most frequent first.
    public var exitReasons: [(String, Int)] { reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) } }
    /// Gains over losses (infinite with gains and no loss, 0 without either).
    public var profitFactor: Double { losses > 0 ? gains / losses : (gains > 0 ? .infinity : 0) }
    /// Average net P&L per trade.
    public var expectancy: Double { count > 0 ? net / Double(count) : 0 }

    /// `coin`'s cumulative net P&L after each of its trades (at most about 512 points: thinned
    /// evenly, the last one always kept).
    public func curve(coin: String) -> [Double] { coinCurves[coin]?.points ?? [] }

    /// Cumulative net P&L at each close, by close time (thinned beyond 100,000 points).
    func closes() -> [(time: Timestamp, net: Double)] {
        closeCurve.points.map { ($0.time, $0.net) }.sorted { $0.time < $1.time }
    }
}

/// A series that keeps at most about twice `capacity` points however many are appended: when
/// full it drops every other kept point and keeps one in twice as many from then on. The last
/// point appended is always kept.
struct ThinnedSeries<Point: Sendable>: Sendable {
    let capacity: Int
    private var kept: [Point] = []
    private(set) var last: Point?
    private var stride = 1
    private var appended = 0

    init(capacity: Int) { self.capacity = max(2, capacity) }

    mutating func append(_ point: Point) {
        if appended % stride == 0 {
            kept.append(point)
            if kept.count >= 2 * capacity {
                kept = kept.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
                stride *= 2
            }
        }
        appended += 1
        last = point
    }

    /// The kept points, with the last one appended when thinning skipped it.
    var points: [Point] {
        guard let last, (appended - 1) % stride != 0 else { return kept }
        return kept + [last]
    }
}
