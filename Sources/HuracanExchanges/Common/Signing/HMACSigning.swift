import Crypto
import Foundation

/// HMAC-SHA256 helpers shared by the three venues' signers.
public enum HMACSigning {
    /// Raw HMAC-SHA256 of `message` keyed with `secret`.
    public static func sha256(secret: String, message: String) -> [UInt8] {
        let key = SymmetricKey(data: Array(secret.utf8))
        return Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key))
    }

    /// Lower-case hex HMAC-SHA256 (Binance, Bybit).
    public static func hex(secret: String, message: String) -> String { hexString(sha256(secret: secret, message: message)) }

    /// Base64 HMAC-SHA256 (OKX).
    public static func base64(secret: String, message: String) -> String {
        Data(sha256(secret: secret, message: message)).base64EncodedString()
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    public static func hexString(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
    public static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let upper = Array("0123456789ABCDEF".utf8)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(upper[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(upper[Int(byte & 0x0F)]))
            }
        }
        return out
    }

    /// `k1=v1&k2=v2` in the given order, values percent-encoded.
    public static func queryString(_ parameters: [(String, String)]) -> String {
        parameters.map { "\($0.0)=\(percentEncode($0.1))" }.joined(separator: "&")
    }
}
