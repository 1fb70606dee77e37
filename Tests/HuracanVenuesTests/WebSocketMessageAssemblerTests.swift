import NIOCore
import Testing

@testable import HuracanVenues

@Suite struct WebSocketMessageAssemblerTests {
    private func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func wholeFramesPassThroughAndFragmentsAreJoined() throws {
        var assembler = WebSocketMessageAssembler(maxSize: 64)
        #expect(try assembler.receive(buffer("{\"a\":1}"), continuation: false, fin: true) == buffer("{\"a\":1}"))
        #expect(try assembler.receive(buffer("{\"b\":"), continuation: false, fin: false) == nil)
        #expect(try assembler.receive(buffer("2"), continuation: true, fin: false) == nil)
        #expect(try assembler.receive(buffer("}"), continuation: true, fin: true) == buffer("{\"b\":2}"))
        // Multi-byte text split inside a character is joined byte for byte, never decoded on the way.
        let euro = Array("€".utf8)
        var first = ByteBuffer(), second = ByteBuffer()
        first.writeBytes(euro[..<1])
        second.writeBytes(euro[1...])
        #expect(try assembler.receive(first, continuation: false, fin: false) == nil)
        #expect(try assembler.receive(second, continuation: true, fin: true).map { Array(buffer: $0) } == euro)
    }

    @Test func refusesOrphanContinuationsAndOversizedMessages() throws {
        var assembler = WebSocketMessageAssembler(maxSize: 8)
        #expect(throws: WebSocketMessageAssembler.Failure.self) { try assembler.receive(buffer("x"), continuation: true, fin: true) }
        #expect(throws: WebSocketMessageAssembler.Failure.self) { try assembler.receive(buffer("123456789"), continuation: false, fin: true) }
        #expect(try assembler.receive(buffer("12345"), continuation: false, fin: false) == nil)
        #expect(throws: WebSocketMessageAssembler.Failure.self) { try assembler.receive(buffer("6789"), continuation: true, fin: true) }
        // After a refusal the next message starts clean.
        #expect(try assembler.receive(buffer("ok"), continuation: false, fin: true) == buffer("ok"))
    }
}
