import NIOCore

/// Splits the inbound byte stream into frames, each the bytes of one complete RESP reply.
struct RESPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    var scanner = RESPFrameScanner()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = try scanner.frameLength(in: buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: length)!))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Commands written in one go (pipelined) and where their replies go, in order.
struct RedisCommandBatch {
    /// The replies as values, or as frames (each reply's bytes) for callers that read them in place.
    enum Replies {
        case values(EventLoopPromise<[RESPValue]>)
        case frames(EventLoopPromise<[ByteBuffer]>)

        func fail(_ error: RedisError) {
            switch self {
            case .values(let promise): promise.fail(error)
            case .frames(let promise): promise.fail(error)
            }
        }
    }

    /// The commands as arguments, or already written in RESP (`count` commands, named for errors).
    enum Commands {
        case arguments([[RESPArgument]])
        case encoded(ByteBuffer, count: Int, name: String)

        var count: Int {
            switch self {
            case .arguments(let commands): commands.count
            case .encoded(_, let count, _): count
            }
        }
    }

    var commands: Commands
    var replies: Replies
}

/// Matches replies to commands in FIFO order (Redis answers pipelined commands in order) and
/// fails every outstanding command when the connection breaks or the peer sends garbage.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisCommandBatch
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var expected: Int
        var replies: RedisCommandBatch.Replies
    }

    private var pending = CircularBuffer<Pending>(initialCapacity: 64)
    /// Replies gathered so far for the oldest pending batch (one of the two, by its kind).
    private var values: [RESPValue] = []
    private var frames: [ByteBuffer] = []
    private var failure: RedisError?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let batch = unwrapOutboundIn(data)
        if let failure {
            batch.replies.fail(failure)
            promise?.fail(failure)
            return
        }
        let buffer: ByteBuffer
        switch batch.commands {
        case .arguments(let commands):
            var encoded = context.channel.allocator.buffer(capacity: 0)
            RESPEncoder.encode(commands: commands, into: &encoded)
            buffer = encoded
        case .encoded(let encoded, _, _):
            buffer = encoded
        }
        pending.append(Pending(expected: batch.commands.count, replies: batch.replies))
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let oldest = pending.first else {
            fail(context: context, .protocolViolation("a reply arrived with no command outstanding"))
            return
        }
        let gathered: Int
        switch oldest.replies {
        case .values:
            // The frame is one complete, checked reply: it parses in one call.
            var parser = RESPParser()
            let value: RESPValue
            do throws(RESPError) {
                guard let parsed = try parser.parse(&frame), frame.readableBytes == 0 else { throw .malformed("a reply frame is not one value") }
                value = parsed
            } catch {
                fail(context: context, .protocolViolation(error.description))
                return
            }
            if values.isEmpty { values.reserveCapacity(oldest.expected) }
            values.append(value)
            gathered = values.count
        case .frames:
            if frames.isEmpty { frames.reserveCapacity(oldest.expected) }
            frames.append(frame)
            gathered = frames.count
        }
        guard gathered == oldest.expected else { return }
        switch pending.removeFirst().replies {
        case .values(let promise):
            let complete = values
            values = []
            promise.succeed(complete)
        case .frames(let promise):
            let complete = frames
            frames = []
            promise.succeed(complete)
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
        values = []
        frames = []
        while let next = pending.popFirst() { next.replies.fail(error) }
    }
}
