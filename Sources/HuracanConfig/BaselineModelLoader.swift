import Foundation
import HuracanCore

/// Reads the baseline model's coefficients (JSON) named by `engine.strategy.model_file`.
public enum BaselineModelLoader {
    struct File: Decodable {
        var format: String
        var feature_schema_version: Int
        var name: String
        var horizon_seconds: Double
        var intercept: Double
        var coefficients: [String: Double]
    }

    public static func load(path: String) throws(ModelError) -> LinearBaselineModel {
        let source = path.isEmpty ? "built-in baseline-model.json" : path
        let data: Data
        if path.isEmpty {
            data = Data(EmbeddedResources.baselineModel.utf8)
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ModelError(message: "\(source): cannot read the model file")
            }
            data = contents
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw ModelError(message: "\(source): not a baseline model file: \(error)")
        }
        guard file.format == "huracan-baseline" else {
            throw ModelError(message: "\(source): format must be \"huracan-baseline\", got \"\(file.format)\"")
        }
        guard file.feature_schema_version == Features.schemaVersion else {
            throw ModelError(message: "\(source): feature schema version \(file.feature_schema_version) does not match the engine's \(Features.schemaVersion)")
        }
        do {
            return try LinearBaselineModel(name: file.name, intercept: file.intercept, coefficients: file.coefficients, horizonSeconds: file.horizon_seconds)
        } catch {
            throw ModelError(message: "\(source): \(error.message)")
        }
    }
}
