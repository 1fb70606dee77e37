@testable import HuracanRedis
import HuracanTestSupport
import NIOCore
import Testing

/// Replies are cut into frames (one complete value each) before anyone reads them.
@Suite struct RESPFrameTests {
    @Test func everySplitWaitsThenFindsTheWholeReply() throws {
        let reply = Array("*2\r\n*2\r\n$3\r\nfoo\r\n*1\r\n$5\r\n\r\n\u{0}ab\r\n:12\r\n".utf8)
        let following = Array("+OK\r\n".utf8)
        for split in 0..<reply.count {
            var scanner = RESPFrameScanner()
            var buffer = ByteBuffer(bytes: reply[..<split])
            #expect(try scanner.frameLength(in: buffer) == nil, "split at \(split)")
            buffer.writeBytes(reply[split...])
            buffer.writeBytes(following)
            #expect(try scanner.frameLength(in: buffer) == reply.count, "split at \(split)")
        }
        // Byte by byte, with progress kept between calls.
        var scanner = RESPFrameScanner()
        var buffer = ByteBuffer()
        var lengths: [Int] = []
        for byte in reply + following {
            buffer.writeInteger(byte)
            if let length = try scanner.frameLength(in: buffer) {
                lengths.append(length)
                buffer.moveReaderIndex(forwardBy: length)
            }
        }
        #expect(lengths == [reply.count, following.count])
    }

    @Test(arguments: malformedRESP)
    func malformedInputIsAnError(input: String, expected: String) {
        var scanner = RESPFrameScanner()
        do {
            _ = try scanner.frameLength(in: ByteBuffer(string: input))
            Issue.record("no error for \(input.debugDescription)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func deepNestingIsRefused() {
        var scanner = RESPFrameScanner()
        #expect(throws: RESPError.self) { _ = try scanner.frameLength(in: ByteBuffer(string: String(repeating: "*1\r\n", count: 100) + ":1\r\n")) }
    }

    @Test func randomBytesNeverCrashAndFramesAlwaysParse() {
        var random = SplitMix(seed: 11)
        let alphabet = Array("+-:$*\r\n0123456789-abc".utf8)
        var frames = 0
        for _ in 0..<20_000 {
            var scanner = RESPFrameScanner()
            let buffer = ByteBuffer(bytes: (0..<Int(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            guard let length = try? scanner.frameLength(in: buffer) else { continue }
            // Whatever the scanner accepts as a frame is exactly one value to the parser.
            var frame = buffer.getSlice(at: buffer.readerIndex, length: length)!
            var parser = RESPParser()
            #expect((try? parser.parse(&frame)) != nil && frame.readableBytes == 0)
            frames += 1
        }
        #expect(frames > 10)
    }

    @Test func readerTakesValuesInPlaceAndNamesWrongTypes() throws {
        let frame = ByteBuffer(string: "*3\r\n$2\r\nhi\r\n$-1\r\n*-1\r\n")
        try RESPReader.read(frame, command: "TEST") { reader throws(RESPError) in
            #expect(try reader.array() == 3)
            #expect(try reader.bulk().map { Array($0) } == Array("hi".utf8))
            #expect(try reader.bulk() == nil)
            #expect(try reader.array() == nil)
            #expect(reader.atEnd)
        }
        do {
            try RESPReader.read(ByteBuffer(string: ":5\r\n"), command: "TEST") { reader throws(RESPError) in _ = try reader.bulk() }
            Issue.record("an integer was read as a bulk string")
        } catch {
            #expect(error.description.contains("unexpected reply to TEST") && error.description.contains("expected a bulk string"), "\(error)")
        }
        #expect(throws: RedisError.server("ERR no")) {
            try RESPReader.read(ByteBuffer(string: "-ERR no\r\n"), command: "TEST") { reader throws(RESPError) in _ = try reader.bulk() }
        }
    }
}
