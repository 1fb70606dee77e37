import NIOCore

/// Splits the inbound byte stream into RESP values.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue
    var parser = RESPParser()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try parser.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(value))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Commands written in one go (pipelined) and the promise of their replies, in order.
struct RedisCommandBatch {
    var commands: [[RESPArgument]]
    var promise: EventLoopPromise<[RESPValue]>
}

/// Matches replies to commands in FIFO order (Redis answers pipelined commands in order) and
/// fails every outstanding command when the connection breaks or the peer sends garbage.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisCommandBatch
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var expected: Int
        var promise: EventLoopPromise<[RESPValue]>
    }

    private var pending = CircularBuffer<Pending>(initialCapacity: 64)
    /// Replies gathered so far for the oldest pending batch.
    private var replies: [RESPValue] = []
    private var failure: RedisError?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let batch = unwrapOutboundIn(data)
        if let failure {
            batch.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 0)
        RESPEncoder.encode(commands: batch.commands, into: &buffer)
        pending.append(Pending(expected: batch.commands.count, promise: batch.promise))
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard !pending.isEmpty else {
            fail(context: context, .protocolViolation("reply \(value) arrived with no command outstanding"))
            return
        }
        if replies.isEmpty { replies.reserveCapacity(pending[pending.startIndex].expected) }
        replies.append(value)
        if replies.count == pending[pending.startIndex].expected {
            let done = pending.removeFirst()
            let complete = replies
            replies = []
            done.promise.succeed(complete)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let decoding = error as? RESPError {
            fail(context: context, .protocolViolation(decoding.description))
        } else {
            fail(context: context, .connectionLost("\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(failure ?? .connectionLost("connection closed by the server"))
        context.fireChannelInactive()
    }

    private func fail(context: ChannelHandlerContext, _ error: RedisError) {
        if failure == nil { failure = error }
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: RedisError) {
        if failure == nil { failure = error }
        replies = []
        while let next = pending.popFirst() { next.promise.fail(error) }
    }
}
