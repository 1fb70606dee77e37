import HuracanBus
import HuracanCore
import HuracanTestSupport
import Testing

/// The compact binary encoding used on Redis: same messages as JSON, exact decimals, and a
/// decoder that refuses truncated or corrupt bytes with an error instead of crashing.
@Suite("Bus binary codec")
struct BinaryCodecTests {
    @Test(arguments: BusCodecTests.all)
    func roundTripsEveryType(_ message: BusMessage) throws {
        let encoded = BusCodec.encodeBinary(message)
        #expect(encoded.first == 0xB5 && encoded[1] == 2)
        let decoded = try BusCodec.decode(encoded)
        #expect(decoded == message)
        #expect(BusCodec.encodeBinary(decoded) == encoded, "encoding is deterministic")
        #expect(try BusCodec.decode(BusCodec.encode(decoded)) == message, "binary and JSON carry the same message")
        #expect(encoded.count < BusCodec.encode(message).count, "binary is the compact form")
    }

    @Test(arguments: BusCodecTests.all)
    func truncatedAtEveryLengthIsAnError(_ message: BusMessage) {
        let encoded = BusCodec.encodeBinary(message)
        for length in 1..<encoded.count {
            #expect(throws: BusDecodeError.self, "cut at \(length)") { try BusCodec.decode(Array(encoded.prefix(length))) }
        }
        #expect(throws: BusDecodeError.self) { try BusCodec.decode(encoded + [0]) }
    }

    @Test func errorsNameTheField() {
        var bytes = BusCodec.encodeBinary(order(1))
        bytes = Array(bytes.prefix(8))
        do {
            _ = try BusCodec.decode(bytes)
            Issue.record("accepted a truncated order")
        } catch {
            #expect(error.description.contains("order."), "\(error)")
        }
        #expect(throws: BusDecodeError.unsupportedVersion(9)) { try BusCodec.decode([0xB5, 9, 0]) }
        #expect(throws: BusDecodeError.self) { try BusCodec.decode([0xB5, 2, 200]) }
    }

    @Test func corruptBytesNeverCrash() {
        var random = SplitMix(seed: 99)
        let samples = BusCodecTests.all.map(BusCodec.encodeBinary)
        var rejected = 0
        for round in 0..<20_000 {
            var bytes = samples[round % samples.count]
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let i = 3 + Int(random.next() % UInt64(bytes.count - 3))
                bytes[i] = UInt8(truncatingIfNeeded: random.next())
            }
            if (try? BusCodec.decode(bytes)) == nil { rejected += 1 }
        }
        #expect(rejected > 1_000, "corrupt lengths, booleans, UTF-8 and enum values are refused")
    }
}
