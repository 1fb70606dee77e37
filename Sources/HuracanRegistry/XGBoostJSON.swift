import Foundation
import HuracanCore

/// Reads XGBoost's JSON model format (`booster.save_model("model.json")`, XGBoost 1.6 to 3.x)
/// into a `TreeEnsemble`. Only what the evaluator reproduces exactly is accepted: the `gbtree`
/// booster, numerical splits, one target, objectives `reg:squarederror` and `binary:logistic`.
/// Pickle and the binary UBJSON format are refused.
public enum XGBoostJSON {
    /// What the file says besides the trees.
    public struct Metadata: Sendable, Hashable {
        public var featureNames: [String]
        /// `learner.attributes` (set by the trainer: feature schema version, horizon, style...).
        public var attributes: [String: String]
        public var version: [Int]
    }

    public static func load(_ data: Data, source: String) throws(ModelError) -> (ensemble: TreeEnsemble, metadata: Metadata) {
        func fail(_ message: String) -> ModelError { ModelError(message: "\(source): \(message)") }
        guard let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }), first == UInt8(ascii: "{") else {
            throw fail("not an XGBoost JSON model (pickle and UBJSON are refused; save with booster.save_model(\"model.json\"))")
        }
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw fail("the top level is not a JSON object") }
            root = object
        } catch let error as ModelError {
            throw error
        } catch {
            throw fail("invalid JSON: \(error.localizedDescription)")
        }
        guard let learner = root["learner"] as? [String: Any] else { throw fail("missing \"learner\" (not an XGBoost model)") }
        let version = (root["version"] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue } ?? []
        let objectiveName = (learner["objective"] as? [String: Any])?["name"] as? String ?? ""
        guard let objective = TreeEnsemble.Objective(rawValue: objectiveName) else {
            throw fail("objective \"\(objectiveName)\" is not supported (use \(TreeEnsemble.Objective.allCases.map(\.rawValue).joined(separator: " or ")))")
        }
        guard let parameters = learner["learner_model_param"] as? [String: Any] else { throw fail("missing learner_model_param") }
        let featureCount = Int(parameters["num_feature"] as? String ?? "") ?? 0
        guard featureCount > 0 else { throw fail("num_feature is missing or zero") }
        if let targets = parameters["num_target"] as? String, targets != "1" { throw fail("\(targets) targets; only single-target models are supported") }
        if let classes = parameters["num_class"] as? String, classes != "0" { throw fail("multi-class models are not supported") }
        // base_score is "0.5" in XGBoost 1.x/2.x and "[5E-1]" (a vector) in 3.x.
        let baseText = (parameters["base_score"] as? String ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        guard let baseScore = Float(baseText) else { throw fail("base_score \"\(parameters["base_score"] ?? "")\" is not a number") }
        guard let booster = learner["gradient_booster"] as? [String: Any] else { throw fail("missing gradient_booster") }
        guard booster["name"] as? String == "gbtree" else { throw fail("booster \"\(booster["name"] ?? "")\" is not supported (only gbtree)") }
        guard let model = booster["model"] as? [String: Any], let trees = model["trees"] as? [[String: Any]] else { throw fail("missing gradient_booster.model.trees") }

        var nodes: [TreeEnsemble.Node] = []
        var roots: [Int32] = []
        for (t, tree) in trees.enumerated() {
            func ints(_ key: String) throws(ModelError) -> [Int] {
                guard let values = tree[key] as? [Any] else { throw fail("tree \(t): missing \(key)") }
                return values.map { ($0 as? NSNumber)?.intValue ?? Int.min }
            }
            func floats(_ key: String) throws(ModelError) -> [Float] {
                guard let values = tree[key] as? [Any] else { throw fail("tree \(t): missing \(key)") }
                return values.map { ($0 as? NSNumber)?.floatValue ?? .nan }
            }
            let left = try ints("left_children"), right = try ints("right_children")
            let splitIndex = try ints("split_indices"), defaultLeft = try ints("default_left")
            let conditions = try floats("split_conditions")
            let count = left.count
            guard count > 0, right.count == count, splitIndex.count == count, defaultLeft.count == count, conditions.count == count else {
                throw fail("tree \(t): node arrays have different lengths")
            }
            if let types = tree["split_type"] as? [Any], types.contains(where: { ($0 as? NSNumber)?.intValue != 0 }) {
                throw fail("tree \(t): categorical splits are not supported")
            }
            let offset = Int32(nodes.count)
            roots.append(offset)
            for i in 0..<count {
                if left[i] == -1 {
                    guard conditions[i].isFinite else { throw fail("tree \(t) node \(i): leaf value is not finite") }
                    nodes.append(.leaf(conditions[i]))
                } else {
                    guard left[i] > i, right[i] > i, left[i] < count, right[i] < count else {
                        throw fail("tree \(t) node \(i): children \(left[i]), \(right[i]) outside the tree of \(count) nodes")
                    }
                    guard splitIndex[i] >= 0, splitIndex[i] < featureCount, splitIndex[i] <= Int(UInt16.max) else {
                        throw fail("tree \(t) node \(i): split feature \(splitIndex[i]) outside 0..<\(featureCount)")
                    }
                    nodes.append(TreeEnsemble.Node(value: conditions[i], left: offset + Int32(left[i]), right: offset + Int32(right[i]),
                                                   feature: UInt16(splitIndex[i]), defaultLeft: defaultLeft[i] != 0, isLeaf: false))
                }
            }
        }
        let ensemble: TreeEnsemble
        do {
            ensemble = try TreeEnsemble(nodes: nodes, roots: roots, objective: objective,
                                        baseMargin: TreeEnsemble.margin(baseScore: baseScore, objective: objective), featureCount: featureCount)
        } catch {
            throw fail(error.message)
        }
        let names = (learner["feature_names"] as? [Any])?.compactMap { $0 as? String } ?? []
        var attributes: [String: String] = [:]
        for (key, value) in learner["attributes"] as? [String: Any] ?? [:] {
            if let text = value as? String { attributes[key] = text }
        }
        return (ensemble, Metadata(featureNames: names, attributes: attributes, version: version))
    }
}
