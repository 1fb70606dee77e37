import HuracanRedis
import HuracanTestSupport
import NIOCore
import Testing

@Suite struct RESPParserTests {
    func parseAll(_ text: String) throws -> [RESPValue] {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: text)
        var values: [RESPValue] = []
        while let value = try parser.parse(&buffer) { values.append(value) }
        #expect(buffer.readableBytes == 0)
        return values
    }

    @Test func parsesEveryType() throws {
        let values = try parseAll("+OK\r\n-ERR wrong\r\n:-42\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*2\r\n:1\r\n*1\r\n$1\r\nx\r\n*-1\r\n*0\r\n")
        #expect(values == [
            .simpleString("OK"), .error("ERR wrong"), .integer(-42), .bulk("hello"), .bulk(""), .bulkString(nil),
            .array([.integer(1), .array([.bulk("x")])]), .array(nil), .array([]),
        ])
    }

    @Test func bulkStringsMayHoldCRLFAndBinary() throws {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: "$4\r\n\r\n\u{0}\u{1}\r\n")
        let value = try parser.parse(&buffer)
        #expect(value?.bytes?.readableBytesView.elementsEqual([13, 10, 0, 1]) == true)
    }

    @Test func incompleteInputWaitsAtEverySplit() throws {
        let text = "*3\r\n$3\r\nfoo\r\n:12\r\n*1\r\n+ok\r\n"
        let bytes = Array(text.utf8)
        for split in 0..<bytes.count {
            var parser = RESPParser()
            var buffer = ByteBuffer(bytes: bytes[..<split])
            #expect(try parser.parse(&buffer) == nil, "split at \(split)")
            buffer.writeBytes(bytes[split...])
            #expect(try parser.parse(&buffer) == .array([.bulk("foo"), .integer(12), .array([.simpleString("ok")])]))
            #expect(buffer.readableBytes == 0)
        }
        // Byte by byte: complete parts are kept, nothing is parsed twice.
        var parser = RESPParser()
        var buffer = ByteBuffer()
        var values: [RESPValue] = []
        for byte in bytes {
            buffer.writeInteger(byte)
            if let value = try parser.parse(&buffer) { values.append(value) }
        }
        #expect(values == [.array([.bulk("foo"), .integer(12), .array([.simpleString("ok")])])])
    }

    @Test(arguments: malformedRESP)
    func malformedInputIsAnError(input: String, expected: String) {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: input)
        do {
            _ = try parser.parse(&buffer)
            Issue.record("no error for \(input.debugDescription)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func deepNestingIsRefused() {
        var parser = RESPParser()
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: 100) + ":1\r\n")
        #expect(throws: RESPError.self) { _ = try parser.parse(&buffer) }
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix(seed: 7)
        let alphabet = Array("+-:$*\r\n0123456789-abc".utf8)
        var errors = 0, values = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 24)
            var parser = RESPParser()
            var buffer = ByteBuffer(bytes: (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            do {
                while let _ = try parser.parse(&buffer) { values += 1 }
            } catch {
                errors += 1
            }
        }
        #expect(errors > 1_000)
        #expect(values > 10)
    }

    @Test func encoderWritesArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        RESPEncoder.encode(command: ["SET", "k", .bytes([0, 255]), .int(42)], into: &buffer)
        let expected = Array("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n".utf8) + [0, 255] + Array("\r\n$2\r\n42\r\n".utf8)
        #expect(Array(buffer.readableBytesView) == expected)
        var decoded = buffer
        var parser = RESPParser()
        #expect(try! parser.parse(&decoded) == .array([.bulk("SET"), .bulk("k"), .bulkString(ByteBuffer(bytes: [0, 255])), .bulk("42")]))
    }
}

/// Bytes that are not RESP, and the words each error must contain (parser and frame scanner alike).
let malformedRESP: [(String, String)] = [
    ("?what\r\n", "unknown type byte"),
    (":12a\r\n", "is not a number"),
    ("$abc\r\n", "is not a length"),
    ("$-5\r\n", "is not a length"),
    ("*-2\r\n", "is not a length"),
    ("$3\r\nabcXY", "not followed by CRLF"),
    ("+OK\rX", "CR not followed by LF"),
    ("+OK\n", "LF without CR"),
    ("$999999999999\r\n", "exceeds"),
]
