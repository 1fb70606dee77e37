import Foundation

/// Blocks the calling thread for `nanoseconds` (engine threads only, never a cooperative task).
func sleepNanoseconds(_ nanoseconds: Int64) {
    guard nanoseconds > 0 else { return }
    Thread.sleep(forTimeInterval: Double(nanoseconds) / 1e9)
}
