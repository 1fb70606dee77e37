import Foundation
@testable import HuracanStorage
import HuracanTestSupport
import Testing

@Suite struct ParquetCodecTests {
    @Test func thriftCompactRoundTrip() throws {
        var inner = ThriftStruct()
        inner[1] = .bool(true)
        inner[2] = .bool(false)
        inner[20] = .i64(-1234567890123)
        var s = ThriftStruct()
        s[1] = .i32(7)
        s[3] = .string("héllo")
        s[4] = .double(3.25)
        s[5] = .list(elementType: ThriftType.i32, (0..<40).map { .i32($0 * -3) })
        s[6] = .structure(inner)
        s[300] = .integer(-5, wire: ThriftType.byte)
        s[301] = .list(elementType: ThriftType.structure, [.structure(inner), .emptyStruct])
        var writer = ThriftCompactWriter()
        writer.writeStruct(s)
        let decoded = try writer.bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw)
            return try reader.readStruct()
        }
        #expect(decoded == s)
    }

    @Test func snappyRoundTrip() throws {
        var random = SplitMix(seed: 42)
        var inputs: [[UInt8]] = [[], [1], Array("hello hello hello hello hello hello".utf8), Array(repeating: 7, count: 300_000)]
        inputs.append((0..<200_000).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        // Compressible but varied: prices as text.
        inputs.append(Array((0..<20_000).map { "\(65000 + $0 % 97).\($0 % 10)," }.joined().utf8))
        for input in inputs {
            let compressed = Snappy.compress(input)
            #expect(compressed.count <= Snappy.maxCompressedLength(input.count))
            #expect(try Snappy.decompress(compressed) == input)
        }
        let text = Array((0..<20_000).map { "\(65000 + $0 % 97).\($0 % 10)," }.joined().utf8)
        #expect(Snappy.compress(text).count < text.count / 3)
    }

    @Test func snappyRejectsGarbage() throws {
        var random = SplitMix(seed: 7)
        let valid = Snappy.compress(Array((0..<5_000).map { "row \($0 % 50);" }.joined().utf8))
        let original = try Snappy.decompress(valid)
        var rejected = 0, changed = 0
        for trial in 0..<2_000 {
            var bytes = valid
            let flips = 1 + trial % 4
            for _ in 0..<flips { bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1) }
            if trial % 3 == 0 {
                // Cut short: never accepted (the stream says how long its output is).
                let cut = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count))))
                #expect(throws: Snappy.Failure.self) { try Snappy.decompress(cut) }
                continue
            }
            // Damaged: rejected, or decoded to some other text (the format has no checksum);
            // never a crash.
            do {
                if try Snappy.decompress(bytes) != original { changed += 1 }
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 300, "most damage is caught: \(rejected) rejected, \(changed) decoded differently")
    }

    @Test func rleHybridRoundTrip() throws {
        var random = SplitMix(seed: 3)
        for width in [1, 2, 3, 7, 8, 12, 20] {
            let maxValue = Int32((1 << width) - 1)
            var values: [Int32] = []
            for _ in 0..<1_000 {
                let v = Int32(truncatingIfNeeded: random.next() % UInt64(maxValue + 1))
                let run = random.next() % 4 == 0 ? Int(random.next() % 40) : 1
                values.append(contentsOf: repeatElement(v, count: run))
            }
            var bytes: [UInt8] = []
            RLEHybrid.encode(values, bitWidth: width, into: &bytes)
            let decoded = try bytes.withUnsafeBytes { try RLEHybrid.decode($0, start: 0, end: $0.count, bitWidth: width, count: values.count) }
            #expect(decoded == values, "bit width \(width)")
        }
    }
}
