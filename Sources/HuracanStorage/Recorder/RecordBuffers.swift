import HuracanBus
import HuracanCore

/// Rows waiting to be written, by kind: the recorders' buffer.
struct RecordBuffers {
    var book: [BookRecord] = []
    var trades: [TradeRecord] = []
    var funding: [FundingRecord] = []
    var features: [FeaturesRecord] = []
    var signals: [ModelSignalRecord] = []
    var orders: [OrderRecord] = []
    var fills: [FillRecord] = []

    var count: Int { book.count + trades.count + funding.count + features.count + signals.count + orders.count + fills.count }

    mutating func add(_ message: BusMessage) {
        switch message {
        case .market(let m):
            switch m.storedRecord {
            case let r as BookRecord: book.append(r)
            case let r as TradeRecord: trades.append(r)
            case let r as FundingRecord: funding.append(r)
            default: break
            }
        case .features(let m): features.append(FeaturesRecord(m))
        case .signal(let m): signals.append(ModelSignalRecord(m))
        case .order(let m): orders.append(OrderRecord(m))
        case .execution(let m): fills.append(FillRecord(m.fill))
        case .riskDecision: break
        }
    }

    func write(to lake: DataLake) throws {
        if !book.isEmpty { try lake.append(book) }
        if !trades.isEmpty { try lake.append(trades) }
        if !funding.isEmpty { try lake.append(funding) }
        if !features.isEmpty { try lake.append(features) }
        if !signals.isEmpty { try lake.append(signals) }
        if !orders.isEmpty { try lake.append(orders) }
        if !fills.isEmpty { try lake.append(fills) }
    }
}
