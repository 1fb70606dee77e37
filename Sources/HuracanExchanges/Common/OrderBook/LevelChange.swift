import HuracanCore

/// One level of a depth message as fixed-point mantissas (10^-18 units): the absolute size at
/// `price`, zero deleting the level. Trivially copyable (no text, no reference counting), so the
/// hot path parses into and applies from flat arrays of these.
public struct LevelChange: Sendable, Hashable {
    public var price: Int128
    public var size: Int128

    @inlinable public init(price: Int128, size: Int128) {
        self.price = price
        self.size = size
    }

    @inlinable public init(_ level: PriceLevel) {
        price = level.price.mantissa
        size = level.size.mantissa
    }
}
