import NIOCore

/// Whole WebSocket messages from data frames, as bytes: a fragmented message is collated from
/// its continuation frames; a text message is never turned into a String (the venue parsers
/// read bytes, so a String would be one more copy and a UTF-8 pass per message).
struct WebSocketMessageAssembler {
    /// Why a frame sequence was refused.
    enum Failure: Error, CustomStringConvertible {
        case continuationWithoutStart
        case tooLarge(Int)

        var description: String {
            switch self {
            case .continuationWithoutStart: "a continuation frame arrived with no message started"
            case .tooLarge(let limit): "a message is larger than \(limit) bytes"
            }
        }
    }

    let maxSize: Int
    private var partial: ByteBuffer?

    init(maxSize: Int) { self.maxSize = maxSize }

    /// Takes one data frame (text, binary or continuation); returns the message it completes,
    /// nil while one is still in parts.
    mutating func receive(_ data: ByteBuffer, continuation: Bool, fin: Bool) throws(Failure) -> ByteBuffer? {
        if continuation {
            guard var message = partial else { throw .continuationWithoutStart }
            partial = nil
            guard message.readableBytes + data.readableBytes <= maxSize else { throw .tooLarge(maxSize) }
            var data = data
            message.writeBuffer(&data)
            if fin { return message }
            partial = message
            return nil
        }
        // A new text or binary message (one still in parts is dropped: the protocol forbids it).
        guard data.readableBytes <= maxSize else { throw .tooLarge(maxSize) }
        partial = fin ? nil : data
        return fin ? data : nil
    }
}
