/// Ordinary least squares by accumulated normal equations: O(k^2) memory however many rows,
/// so a fit over millions of events streams.
public struct LeastSquares: Sendable {
    public let count: Int
    private var xtx: [Double]
    private var xty: [Double]
    public private(set) var rows = 0

    /// `count` regressors; an intercept column is added.
    public init(count: Int) {
        self.count = count
        xtx = [Double](repeating: 0, count: (count + 1) * (count + 1))
        xty = [Double](repeating: 0, count: count + 1)
    }

    public mutating func add(_ x: Features, _ y: Double) {
        let n = count + 1
        func value(_ i: Int) -> Double { i == 0 ? 1 : x[i - 1] }
        for i in 0..<n {
            let xi = value(i)
            xty[i] += xi * y
            for j in i..<n { xtx[i * n + j] += xi * value(j) }
        }
        rows += 1
    }

    /// (intercept, weights); a small ridge term keeps unused regressors at zero.
    public func solve(ridge: Double = 1e-6) -> (intercept: Double, weights: Features)? {
        let n = count + 1
        var a = [Double](repeating: 0, count: n * (n + 1))
        for i in 0..<n {
            for j in 0..<n { a[i * (n + 1) + j] = i <= j ? xtx[i * n + j] : xtx[j * n + i] }
            a[i * (n + 1) + i] += ridge * (1 + xtx[i * n + i])
            a[i * (n + 1) + n] = xty[i]
        }
        // Gaussian elimination with partial pivoting.
        for column in 0..<n {
            var pivot = column
            for row in column..<n where abs(a[row * (n + 1) + column]) > abs(a[pivot * (n + 1) + column]) { pivot = row }
            guard abs(a[pivot * (n + 1) + column]) > 1e-300 else { return nil }
            if pivot != column {
                for k in 0...n { a.swapAt(column * (n + 1) + k, pivot * (n + 1) + k) }
            }
            for row in 0..<n where row != column {
                let factor = a[row * (n + 1) + column] / a[column * (n + 1) + column]
                if factor == 0 { continue }
                for k in column...n { a[row * (n + 1) + k] -= factor * a[column * (n + 1) + k] }
            }
        }
        var weights = Features()
        for i in 1..<n { weights[i - 1] = a[i * (n + 1) + n] / a[i * (n + 1) + i] }
        return (a[n] / a[0], weights)
    }
}
