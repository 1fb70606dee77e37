#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A gradient-boosted tree ensemble (XGBoost's `gbtree`) in flat arrays, evaluated without
/// allocation. Arithmetic follows XGBoost's CPU predictor: inputs and thresholds are 32-bit
/// floats, a row goes left when `value < threshold`, a missing value (NaN) follows the node's
/// default direction, and leaf values are summed in 32 bits onto the base margin tree by tree.
public struct TreeEnsemble: Sendable {
    /// The training objective, which fixes how the summed margin becomes a prediction.
    public enum Objective: String, Sendable, CaseIterable {
        /// Identity: the margin is the prediction (a forward return in bps for our models).
        case squaredError = "reg:squarederror"
        /// Sigmoid: the prediction is a probability.
        case logistic = "binary:logistic"
    }

    /// One node; 16 bytes so that a depth-6 path stays in a few cache lines.
    public struct Node: Sendable, Hashable {
        /// Split threshold, or the leaf value for a leaf.
        public var value: Float
        /// Absolute indices of the children in `nodes`.
        public var left: Int32
        public var right: Int32
        public var feature: UInt16
        public var defaultLeft: Bool
        public var isLeaf: Bool

        public init(value: Float, left: Int32, right: Int32, feature: UInt16, defaultLeft: Bool, isLeaf: Bool) {
            self.value = value
            self.left = left
            self.right = right
            self.feature = feature
            self.defaultLeft = defaultLeft
            self.isLeaf = isLeaf
        }

        public static func leaf(_ value: Float) -> Node {
            Node(value: value, left: -1, right: -1, feature: 0, defaultLeft: false, isLeaf: true)
        }
    }

    public let nodes: [Node]
    /// Index in `nodes` of each tree's root, in boosting order.
    public let roots: [Int32]
    public let objective: Objective
    /// The base score as a margin (for `binary:logistic`, the logit of the stored probability).
    public let baseMargin: Float
    public let featureCount: Int

    /// Checks that every child index is inside the array and every feature below
    /// `featureCount`, so that evaluation can never read out of bounds.
    public init(nodes: [Node], roots: [Int32], objective: Objective, baseMargin: Float, featureCount: Int) throws(ModelError) {
        for (i, node) in nodes.enumerated() where !node.isLeaf {
            guard node.left > Int32(i), node.right > Int32(i), Int(node.left) < nodes.count, Int(node.right) < nodes.count else {
                throw ModelError(message: "tree node \(i) has a child outside its tree (children \(node.left), \(node.right) of \(nodes.count) nodes)")
            }
            guard Int(node.feature) < featureCount else {
                throw ModelError(message: "tree node \(i) splits on feature \(node.feature), but the model has \(featureCount) features")
            }
        }
        for root in roots where root < 0 || Int(root) >= nodes.count {
            throw ModelError(message: "tree root \(root) is outside the \(nodes.count) nodes")
        }
        guard baseMargin.isFinite else { throw ModelError(message: "base score is not a finite number") }
        self.nodes = nodes
        self.roots = roots
        self.objective = objective
        self.baseMargin = baseMargin
        self.featureCount = featureCount
    }

    /// Converts XGBoost's stored `base_score` (a probability for logistic) to a margin, in 32
    /// bits as XGBoost does.
    public static func margin(baseScore: Float, objective: Objective) -> Float {
        switch objective {
        case .squaredError: baseScore
        case .logistic: -logf(1 / baseScore - 1)
        }
    }

    public var treeCount: Int { roots.count }

    /// The summed margin for one row of `featureCount` 32-bit values (NaN = missing).
    @inlinable public func margin(_ row: UnsafeBufferPointer<Float>) -> Float {
        var sum = baseMargin
        nodes.withUnsafeBufferPointer { n in
            roots.withUnsafeBufferPointer { r in
                for root in r {
                    var i = Int(root)
                    while true {
                        let node = n[i]
                        if node.isLeaf {
                            sum += node.value
                            break
                        }
                        let x = row[Int(node.feature)]
                        let goLeft = x.isNaN ? node.defaultLeft : x < node.value
                        i = Int(goLeft ? node.left : node.right)
                    }
                }
            }
        }
        return sum
    }

    /// The prediction for one row: the margin through the objective's link.
    @inlinable public func predict(_ row: UnsafeBufferPointer<Float>) -> Float {
        transform(margin(row))
    }

    @inlinable public func transform(_ margin: Float) -> Float {
        switch objective {
        case .squaredError: return margin
        case .logistic:
            let denominator = expf(min(-margin, 88.7)) + 1
            return 1 / denominator
        }
    }

    /// The prediction for the engine's feature vector (its schema order), without allocating.
    @inlinable public func predict(_ features: Features) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: Features.count) { row in
            for i in 0..<Features.count { row[i] = Float(features[i]) }
            return predict(UnsafeBufferPointer(row))
        }
    }
}
