/// Everything that travels on the bus. Encoded as one flat JSON object, the envelope
/// `{"v":1,"type":"order"|"execution"|"risk_decision"|"signal"|"market"|"features", ...fields}`
/// (see docs/message-bus.md); decoding a bad envelope throws `BusDecodeError`.
public enum BusMessage: Sendable, Hashable {
    case order(OrderMessage)
    case execution(ExecutionMessage)
    case riskDecision(RiskDecisionMessage)
    case signal(SignalMessage)
    case market(MarketMessage)
    case features(FeaturesMessage)

    /// The envelope `type` values, in case order.
    public static let typeNames = ["order", "execution", "risk_decision", "signal", "market", "features"]

    /// The index of this message's type in `typeNames` (the binary header's type byte).
    var typeIndex: UInt8 {
        switch self {
        case .order: 0
        case .execution: 1
        case .riskDecision: 2
        case .signal: 3
        case .market: 4
        case .features: 5
        }
    }

    /// This message's envelope `type`.
    public var typeName: String {
        switch self {
        case .order: "order"
        case .execution: "execution"
        case .riskDecision: "risk_decision"
        case .signal: "signal"
        case .market: "market"
        case .features: "features"
        }
    }
}

extension BusMessage: Codable {
    /// Decodes the envelope. Errors thrown are `BusDecodeError` values naming the bad field.
    public init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<WireKey>
        do { container = try decoder.container(keyedBy: WireKey.self) } catch { throw BusDecodeError.notAnObject }
        let envelope = JSONFieldReader(container: container, type: "envelope")
        let version = try envelope.int("v")
        guard version == BusCodec.version else { throw BusDecodeError.unsupportedVersion(version) }
        let type = try envelope.string("type")
        let fields = JSONFieldReader(container: container, type: type)
        switch type {
        case "order": self = .order(try OrderMessage(fields))
        case "execution": self = .execution(try ExecutionMessage(fields))
        case "risk_decision": self = .riskDecision(try RiskDecisionMessage(fields))
        case "signal": self = .signal(try SignalMessage(fields))
        case "market": self = .market(try MarketMessage(fields))
        case "features": self = .features(try FeaturesMessage(fields))
        default: throw BusDecodeError.unknownType(type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var writer = FieldWriter(container: encoder.container(keyedBy: WireKey.self))
        try writer.set("v", BusCodec.version)
        try writer.set("type", typeName)
        try write(&writer)
    }

    /// Writes the message's own fields (after the envelope).
    func write(_ writer: inout FieldWriter) throws {
        switch self {
        case .order(let m): try m.write(&writer)
        case .execution(let m): try m.write(&writer)
        case .riskDecision(let m): try m.write(&writer)
        case .signal(let m): try m.write(&writer)
        case .market(let m): try m.write(&writer)
        case .features(let m): try m.write(&writer)
        }
    }
}
