/// How a value is brought onto a grid of tick or lot increments.
public enum RoundingRule: Sendable {
    /// Toward negative infinity.
    case down
    /// Toward positive infinity.
    case up
    /// To the nearest multiple; ties to even.
    case nearest
    /// Toward zero (quantities: never more than asked).
    case towardZero
}

extension FixedDecimal {
    /// The multiple of `increment` chosen by `rule`. `increment` must be positive.
    public func rounded(toMultipleOf increment: FixedDecimal, _ rule: RoundingRule) -> FixedDecimal {
        precondition(increment.isPositive, "increment must be positive")
        let step = increment.mantissa
        var quotient = mantissa / step
        let remainder = mantissa % step
        if remainder != 0 {
            switch rule {
            case .towardZero:
                break
            case .down:
                if remainder < 0 { quotient -= 1 }
            case .up:
                if remainder > 0 { quotient += 1 }
            case .nearest:
                let twice = remainder.magnitude * 2
                let away = twice > step.magnitude || (twice == step.magnitude && quotient & 1 != 0)
                if away { quotient += remainder > 0 ? 1 : -1 }
            }
        }
        return FixedDecimal(mantissa: quotient * step)
    }

    /// Whether the value lies exactly on the grid of `increment`.
    public func isMultiple(of increment: FixedDecimal) -> Bool {
        increment.isPositive && mantissa % increment.mantissa == 0
    }
}

public typealias Price = FixedDecimal
public typealias Quantity = FixedDecimal
public typealias Money = FixedDecimal
