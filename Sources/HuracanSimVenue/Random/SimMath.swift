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

/// A standard normal deviate from 64 random bits (Box-Muller on two 32-bit halves).
/// Tails reach about 6.7 sigma, plenty for a market generator.
@inline(__always) func normalFromBits(_ bits: UInt64) -> Double {
    let u1 = (Double(bits >> 32) + 0.5) * 0x1p-32
    let u2 = Double(bits & 0xFFFF_FFFF) * 0x1p-32
    return (-2 * simLog(u1)).squareRoot() * simCos(2 * Double.pi * u2)
}

/// A uniform deviate in [0, 1) from the top 53 of 64 random bits.
@inline(__always) func unitFromBits(_ bits: UInt64) -> Double { Double(bits >> 11) * 0x1p-53 }

/// A uniform deviate in (0, 1] from the top 53 of 64 random bits (safe for `log`).
@inline(__always) func openUnitFromBits(_ bits: UInt64) -> Double { (Double(bits >> 11) + 1) * 0x1p-53 }
