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

    /// A node as evaluated: children adjacent (right = left + 1), leaves point to themselves.
    @usableFromInline struct Packed: Sendable {
        /// Split threshold, or the leaf value.
        @usableFromInline var value: Float
        /// Index of the left child; the right child follows it. A leaf's own index.
        @usableFromInline var left: Int32
        @usableFromInline var feature: UInt16
        /// 1 when a missing value goes right.
        @usableFromInline var missingRight: UInt8
        /// 1 for a split, 0 for a leaf (which then stays where it is).
        @usableFromInline var isSplit: UInt8
    }

    @usableFromInline let packed: [Packed]
    /// Index in `packed` of each tree's root, in boosting order.
    @usableFromInline let roots: [Int32]
    /// The deepest leaf of any tree: every tree is walked this many steps (leaves stay put), so
    /// the walk has no data-dependent branch and several trees proceed in parallel.
    @usableFromInline let depth: Int
    public let objective: Objective
    /// The base score as a margin (for `binary:logistic`, the logit of the stored probability).
    public let baseMargin: Float
    public let featureCount: Int

    /// Builds the ensemble from nodes as XGBoost numbers them (`roots` index each tree's first
    /// node; children are absolute indices). Checks that every child is inside its tree and every
    /// feature below `featureCount`, so evaluation can never read out of bounds.
    public init(nodes: [Node], roots: [Int32], objective: Objective, baseMargin: Float, featureCount: Int) throws(ModelError) {
        for root in roots where root < 0 || Int(root) >= nodes.count {
            throw ModelError(message: "tree root \(root) is outside the \(nodes.count) nodes")
        }
        guard baseMargin.isFinite else { throw ModelError(message: "base score is not a finite number") }
        var packed: [Packed] = []
        packed.reserveCapacity(nodes.count)
        var newRoots: [Int32] = []
        var maxDepth = 0
        for root in roots {
            // Breadth-first, placing each split's two children side by side.
            let rootIndex = Int32(packed.count)
            newRoots.append(rootIndex)
            var queue: [(source: Int, depth: Int)] = [(Int(root), 0)]
            packed.append(Packed(value: 0, left: 0, feature: 0, missingRight: 0, isSplit: 0))
            var head = 0
            var visited = 0
            while head < queue.count {
                let (source, depth) = queue[head]
                let target = Int(rootIndex) + head
                head += 1
                visited += 1
                guard visited <= nodes.count else { throw ModelError(message: "tree at node \(root) has a cycle") }
                let node = nodes[source]
                maxDepth = max(maxDepth, depth)
                if node.isLeaf {
                    guard node.value.isFinite else { throw ModelError(message: "leaf \(source) is not a finite number") }
                    packed[target] = Packed(value: node.value, left: Int32(target), feature: 0, missingRight: 0, isSplit: 0)
                    continue
                }
                guard node.left > Int32(source), node.right > Int32(source), Int(node.left) < nodes.count, Int(node.right) < nodes.count else {
                    throw ModelError(message: "tree node \(source) has a child outside its tree (children \(node.left), \(node.right) of \(nodes.count) nodes)")
                }
                guard Int(node.feature) < featureCount else {
                    throw ModelError(message: "tree node \(source) splits on feature \(node.feature), but the model has \(featureCount) features")
                }
                let left = Int32(packed.count)
                packed[target] = Packed(value: node.value, left: left, feature: node.feature, missingRight: node.defaultLeft ? 0 : 1, isSplit: 1)
                packed.append(Packed(value: 0, left: 0, feature: 0, missingRight: 0, isSplit: 0))
                packed.append(Packed(value: 0, left: 0, feature: 0, missingRight: 0, isSplit: 0))
                queue.append((Int(node.left), depth + 1))
                queue.append((Int(node.right), depth + 1))
            }
        }
        self.packed = packed
        self.roots = newRoots
        self.depth = maxDepth
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
    public var nodeCount: Int { packed.count }

    /// One step down: left child, or the one after it when the value is not below the
    /// threshold (or is missing and the default is right); a leaf stays.
    @inlinable @inline(__always)
    static func step(_ n: UnsafeBufferPointer<Packed>, _ i: Int32, _ row: UnsafeBufferPointer<Float>) -> Int32 {
        let node = n[Int(i)]
        let x = row[Int(node.feature)]
        let right: UInt8 = x.isNaN ? node.missingRight : (x < node.value ? 0 : 1)
        return node.left &+ Int32(right & node.isSplit)
    }

    /// The summed margin for one row of `featureCount` 32-bit values (NaN = missing).
    @inlinable public func margin(_ row: UnsafeBufferPointer<Float>) -> Float {
        var sum = baseMargin
        let depth = depth
        packed.withUnsafeBufferPointer { n in
            roots.withUnsafeBufferPointer { r in
                var t = 0
                // Eight trees at a time: independent walks the CPU overlaps.
                while t + 8 <= r.count {
                    var a = r[t], b = r[t + 1], c = r[t + 2], d = r[t + 3]
                    var e = r[t + 4], f = r[t + 5], g = r[t + 6], h = r[t + 7]
                    for _ in 0..<depth {
                        a = Self.step(n, a, row)
                        b = Self.step(n, b, row)
                        c = Self.step(n, c, row)
                        d = Self.step(n, d, row)
                        e = Self.step(n, e, row)
                        f = Self.step(n, f, row)
                        g = Self.step(n, g, row)
                        h = Self.step(n, h, row)
                    }
                    // Summed in boosting order, as XGBoost does.
                    sum += n[Int(a)].value
                    sum += n[Int(b)].value
                    sum += n[Int(c)].value
                    sum += n[Int(d)].value
                    sum += n[Int(e)].value
                    sum += n[Int(f)].value
                    sum += n[Int(g)].value
                    sum += n[Int(h)].value
                    t += 8
                }
                while t < r.count {
                    var a = r[t]
                    for _ in 0..<depth { a = Self.step(n, a, row) }
                    sum += n[Int(a)].value
                    t += 1
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
