import Histogram

/// Latency histogram in nanoseconds (named apart from Prometheus' `Histogram`).
typealias LatencyHistogram = Histogram<UInt64>

extension Histogram where Count == UInt64 {
    /// Counts at or below each bound (seconds), the total count, and the sum in seconds:
    /// what a Prometheus histogram needs from one interval.
    func cumulativeCounts(bounds: [Double]) -> (buckets: [UInt64], count: UInt64, sumSeconds: Double) {
        guard totalCount > 0 else { return (bounds.map { _ in 0 }, 0, 0) }
        let buckets = bounds.map { count(within: 0...UInt64($0 * 1e9)) }
        return (buckets, totalCount, mean * Double(totalCount) / 1e9)
    }
}
