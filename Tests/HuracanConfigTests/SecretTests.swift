import Foundation
import HuracanConfig
import HuracanTestSupport
import Testing

@Suite struct SecretTests {
    @Test func passwordsInURLsAreRejectedAndNeverEchoed() {
        do {
            _ = try ConfigLoader(environment: [:]).load(yaml: "engine:\n  model_registry:\n    metadata_db: \"postgresql://bob:hunter2@db/models\"\n", source: "t")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("postgresql://bob:***@db/models"))
            #expect(error.issues.first?.message.contains("must not contain a password") == true)
        }
    }

    @Test func secretLookingUnknownKeysAreRedacted() {
        do {
            _ = try ConfigLoader(environment: ["HURACAN_ENGINE__VENUES__BINANCE__API_SECRET": "s3cr3t"])
                .load(yaml: "engine:\n  venues:\n    binance:\n      api_key: \"abc123\"\n", source: "t")
            Issue.record("expected an error")
        } catch {
            #expect(error.issues.count == 2)
            #expect(!error.description.contains("abc123"))
            #expect(!error.description.contains("s3cr3t"))
            #expect(error.description.contains("<redacted>"))
            #expect(error.description.contains("did you mean engine.venues.binance.api_key_env"))
        }
    }

    @Test func renderedConfigNamesSourcesNotValues() throws {
        let config = try ConfigLoader(environment: ["HURACAN_BINANCE_API_KEY": "topsecretkey"]).load(path: nil)
        let text = ConfigRenderer.yaml(config)
        #expect(!text.contains("topsecretkey"))
        #expect(text.contains("api_key_env: \"HURACAN_BINANCE_API_KEY\""))
    }

    @Test func resolvesFromEnvironmentAndFile() throws {
        let fromEnvironment = try Secret.resolve(environmentVariable: "K", file: "", environment: ["K": "value-1"])
        #expect(fromEnvironment?.value == "value-1")
        #expect(fromEnvironment?.description == "<secret from environment K>")
        #expect(!"\(String(describing: fromEnvironment))".contains("value-1"))
        #expect(try Secret.resolve(environmentVariable: "MISSING", file: "", environment: [:]) == nil)

        let directory = TestPaths.temporaryDirectory()
        let file = directory.appendingPathComponent("key").path
        try "value-2\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let fromFile = try Secret.resolve(environmentVariable: "K", file: file, environment: ["K": "ignored"])
        #expect(fromFile?.value == "value-2")
        #expect(fromFile?.origin == "file \(file)")
        #expect(throws: SecretError.self) { try Secret.resolve(environmentVariable: "K", file: directory.appendingPathComponent("nope").path, environment: [:]) }
    }

    @Test func refusesSecretFilesOthersCanRead() throws {
        let file = TestPaths.temporaryDirectory().appendingPathComponent("secret").path
        try "value-3\n".write(toFile: file, atomically: true, encoding: .utf8)
        for mode: mode_t in [0o644, 0o640, 0o604, 0o660] {
            chmod(file, mode)
            let error = #expect(throws: SecretError.self) { try Secret.resolve(environmentVariable: "K", file: file, environment: [:]) }
            #expect(error?.description == "the secret file \(file) can be read by other users (mode \(String(mode, radix: 8))): run chmod 600 \(file)")
            #expect(!(error?.description.contains("value-3") ?? true))
        }
        chmod(file, 0o400)
        #expect(try Secret.resolve(environmentVariable: "K", file: file, environment: [:])?.value == "value-3")
    }
}
