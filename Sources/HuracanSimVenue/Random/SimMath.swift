#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Thin wrappers over libm so the rest of the module needs no platform import.

@inline(__always) func simLog(_ x: Double) -> Double { log(x) }
@inline(__always) func simExp(_ x: Double) -> Double { exp(x) }
@inline(__always) func simCos(_ x: Double) -> Double { cos(x) }
@inline(__always) func simSin(_ x: Double) -> Double { sin(x) }
@inline(__always) func simCbrt(_ x: Double) -> Double { cbrt(x) }
@inline(__always) func simPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) func simTanh(_ x: Double) -> Double { tanh(x) }

/// A standard normal deviate from 64 random bits, by inverting the normal CDF.
@inline(__always) func normalFromBits(_ bits: UInt64) -> Double {
    inverseNormalCDF((Double(bits >> 11) + 0.5) * 0x1p-53)
}

/// The standard normal quantile of `p` in (0, 1), by Acklam's rational approximation
/// (relative error below 1.2e-9). The central 95 % needs no logarithm, which makes it several
/// times cheaper than Box-Muller on the generator's hot path.
@inline(__always) func inverseNormalCDF(_ p: Double) -> Double {
    let low = 0.02425
    if p >= low && p <= 1 - low {
        let q = p - 0.5
        let r = q * q
        let numerator = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
            + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
        let denominator = ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
            + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1
        return numerator / denominator
    }
    return normalTail(p)
}

/// The outer 2.4 % on each side of `inverseNormalCDF`.
@inline(never) func normalTail(_ p: Double) -> Double {
    let upper = p > 0.5
    let q = (-2 * simLog(upper ? 1 - p : p)).squareRoot()
    let x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
        - 2.549671669336906e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
        / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
            + 3.754408661907416e+00) * q + 1)
    return upper ? -x : x
}

/// `exp(x)`, by a sixth-order series when |x| < 0.03 (per-step increments; relative error
/// below 1e-14), else libm.
@inline(__always) func expOfSmall(_ x: Double) -> Double {
    if abs(x) < 0.03 {
        return 1 + x * (1 + x * (0.5 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120 + x * (1.0 / 720))))))
    }
    return simExp(x)
}

/// A uniform deviate in [0, 1) from the top 53 of 64 random bits.
@inline(__always) func unitFromBits(_ bits: UInt64) -> Double { Double(bits >> 11) * 0x1p-53 }

/// A uniform deviate in (0, 1] from the top 53 of 64 random bits (safe for `log`).
@inline(__always) func openUnitFromBits(_ bits: UInt64) -> Double { (Double(bits >> 11) + 1) * 0x1p-53 }

/// `x` rounded half up to a whole number, for non-negative `x` below 2^62 (one truncating
/// conversion instead of a libm call).
@inline(__always) func roundedNonNegative(_ x: Double) -> Double { Double(Int64(x + 0.5)) }
