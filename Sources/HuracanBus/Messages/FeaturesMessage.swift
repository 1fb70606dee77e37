import HuracanCore

/// The streaming features of one coin at one moment, keyed by the feature schema's names
/// (`Features.names`) so readers need not know the order.
public struct FeaturesMessage: Sendable, Hashable {
    public var coin: String
    public var time: Timestamp
    public var features: Features

    public init(coin: String, time: Timestamp, features: Features) {
        self.coin = coin
        self.time = time
        self.features = features
    }
}

extension FeaturesMessage {
    init(_ r: some FieldReader) throws(BusDecodeError) {
        let coin = try r.string("coin")
        let time = try r.time()
        let schema = try r.int("schema")
        guard schema == Features.schemaVersion else {
            throw .invalidValue(type: r.type, field: "schema", value: String(schema), reason: "this engine reads feature schema \(Features.schemaVersion)")
        }
        let values = try r.object("values")
        var features = Features()
        for (index, name) in Features.names.enumerated() {
            do { features[index] = try values.double(name) } catch {
                // Name the nested field in full: values.<name>.
                switch error {
                case .missingField(let type, _): throw .missingField(type: type, field: "values.\(name)")
                case .wrongType(let type, _, let expected): throw .wrongType(type: type, field: "values.\(name)", expected: expected)
                default: throw error
                }
            }
        }
        self.init(coin: coin, time: time, features: features)
    }

    func write(_ w: inout FieldWriter) throws {
        try w.set("coin", coin)
        try w.set("time_ns", time: time)
        try w.set("schema", Features.schemaVersion)
        let features = features
        try w.nested("values") { values in
            for (index, name) in Features.names.enumerated() { try values.set(name, features[index]) }
        }
    }
}
