/// One entry handed to a consumer; acknowledge it by `id` once processed.
public struct Delivery: Sendable, Hashable {
    /// The entry id in its stream (increasing from 1).
    public let id: UInt64
    public let message: BusMessage
    /// 1 on the first delivery, more after claims: a hint that processing failed before.
    public let deliveryCount: Int

    public init(id: UInt64, message: BusMessage, deliveryCount: Int) {
        self.id = id
        self.message = message
        self.deliveryCount = deliveryCount
    }
}
