/// Requests and failures of one venue over a sliding window, counted in `bucketCount` fixed
/// buckets of `windowSeconds / bucketCount` each. Recording is O(1) (a time jump clears at most
/// `bucketCount` buckets) and allocates nothing after init.
///
/// A request made at time r counts at time t while `bucket(t) - bucket(r) < bucketCount`: with
/// times on bucket boundaries that is exactly the window; otherwise it is up to one bucket shorter.
struct VenueErrorWindow: Sendable, Hashable {
    static let bucketCount = 60

    let bucketNanoseconds: Int64
    private var requests: [Int]
    private var failures: [Int]
    /// The newest bucket number seen; buckets `head - bucketCount + 1 ... head` are live.
    private var head: Int64
    private(set) var totalRequests = 0
    private(set) var totalFailures = 0

    init(windowSeconds: Double, now: Timestamp) {
        let window = windowSeconds.isFinite && windowSeconds > 0 ? min(windowSeconds, 1e9) : 1
        bucketNanoseconds = max(1, Int64((window * 1e9 / Double(Self.bucketCount)).rounded()))
        requests = [Int](repeating: 0, count: Self.bucketCount)
        failures = [Int](repeating: 0, count: Self.bucketCount)
        head = 0
        head = bucket(of: now)
    }

    /// Failed share of the requests in the window, in percent; 0 when the window is empty.
    var ratePct: Double { Self.ratePct(failures: totalFailures, requests: totalRequests) }

    static func ratePct(failures: Int, requests: Int) -> Double {
        requests > 0 ? Double(failures) / Double(requests) * 100 : 0
    }

    func bucket(of time: Timestamp) -> Int64 {
        let n = time.nanoseconds
        return n >= 0 ? n / bucketNanoseconds : (n - bucketNanoseconds + 1) / bucketNanoseconds
    }

    private func slot(_ bucket: Int64) -> Int {
        let n = Int64(Self.bucketCount)
        return Int(((bucket % n) + n) % n)
    }

    /// Slides the window forward to `time`, dropping buckets that left it. Earlier times are ignored.
    mutating func advance(to time: Timestamp) {
        let target = bucket(of: time)
        guard target > head else { return }
        let steps = min(target - head, Int64(Self.bucketCount))
        for k in 1...steps {
            let s = slot(head + k)
            totalRequests -= requests[s]
            totalFailures -= failures[s]
            requests[s] = 0
            failures[s] = 0
        }
        head = target
    }

    /// Counts one request at `time`. A request older than the window (out of order) is dropped.
    mutating func record(failed: Bool, at time: Timestamp) {
        advance(to: time)
        let b = bucket(of: time)
        guard b > head - Int64(Self.bucketCount) else { return }
        let s = slot(b)
        requests[s] += 1
        totalRequests += 1
        if failed {
            failures[s] += 1
            totalFailures += 1
        }
    }

    /// The counts the window would hold at `time` without moving it (O(bucketCount), for status).
    func counts(at time: Timestamp) -> (requests: Int, failures: Int) {
        let newest = max(head, bucket(of: time))
        var r = 0, f = 0
        for b in (head - Int64(Self.bucketCount) + 1)...head where b > newest - Int64(Self.bucketCount) {
            r += requests[slot(b)]
            f += failures[slot(b)]
        }
        return (r, f)
    }
}
