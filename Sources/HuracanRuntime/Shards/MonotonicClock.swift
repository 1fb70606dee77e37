import Dispatch
import Foundation

/// Monotonic and wall-clock readings in nanoseconds, cheap enough to take per event.
enum MonotonicClock {
    /// Monotonic nanoseconds (CLOCK_MONOTONIC through Dispatch).
    @inline(__always) static func nanoseconds() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }

    /// Nanoseconds since the Unix epoch (microsecond precision is plenty for wall stamps).
    static func wallNanoseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e6).rounded()) * 1_000
    }
}

func sleepNanoseconds(_ nanoseconds: Int64) {
    guard nanoseconds > 0 else { return }
    Thread.sleep(forTimeInterval: Double(nanoseconds) / 1e9)
}
