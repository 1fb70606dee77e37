import Foundation
import HuracanConfig
import HuracanCore
import HuracanExchanges

/// API keys of a venue from environment variables or files (via `Secret`), never from flags.
enum VenueKeys {
    static func credentials(_ venue: VenueID) throws -> VenueCredentials? {
        let prefix = "HURACAN_\(venue.rawValue.uppercased())_API_"
        func secret(_ name: String) throws -> Secret? {
            let variable = prefix + name
            let file = ProcessInfoEnvironment.value(variable + "_FILE") ?? ""
            return try Secret.resolve(environmentVariable: variable, file: file)
        }
        guard let key = try secret("KEY"), let secretValue = try secret("SECRET") else { return nil }
        let passphrase = venue == .okx ? try secret("PASSPHRASE")?.value : nil
        return VenueCredentials(apiKey: key.value, secret: secretValue.value, passphrase: passphrase, origin: key.origin)
    }
}

enum ProcessInfoEnvironment {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}
