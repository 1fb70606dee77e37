import HuracanCore

/// A change to a resting limit order, by our client order id: the new total quantity (base
/// units) and the new price. The side is part of it because Binance requires it on a modify.
///
/// `VenueAPI.amendOrder` takes this one value instead of loose fixed-point arguments on purpose:
/// it is passed by address, so no `Int128` travels in registers or on the stack of an async call
/// (see `VenueAPI.amendOrder` for the toolchain bug that made those crash).
public struct OrderAmendment: Sendable, Hashable {
    public var clientOrderID: String
    public var side: Side
    public var quantity: Quantity
    public var price: Price

    public init(clientOrderID: String, side: Side, quantity: Quantity, price: Price) {
        self.clientOrderID = clientOrderID
        self.side = side
        self.quantity = quantity
        self.price = price
    }
}
