extension RedisStreamsBus {
    /// How messages are packed into entries: those to the same stream, in order, into entries
    /// of up to `messagesPerEntry`, streams in the order of their first message (with one
    /// message per entry, simply in order).
    struct Packing {
        /// Indexes of the messages, grouped by stream.
        var order: [Int]
        /// Each entry's stream and its messages, as a range of `order`.
        var entries: [(stream: String, messages: Range<Int>)] = []
        /// The streams written to, in the order of their first message.
        var streams: [String] = []

        init(_ messages: [(stream: String, message: BusMessage)], messagesPerEntry: Int) {
            guard messagesPerEntry > 1 else {
                order = Array(messages.indices)
                entries = messages.indices.map { (messages[$0].stream, $0..<($0 + 1)) }
                var seen: Set<String> = []
                var last: String?
                for (stream, _) in messages where stream != last {
                    last = stream
                    if seen.insert(stream).inserted { streams.append(stream) }
                }
                return
            }
            var byStream: [String: [Int]] = [:]
            for (index, item) in messages.enumerated() {
                if byStream[item.stream] == nil { streams.append(item.stream) }
                byStream[item.stream, default: []].append(index)
            }
            order = []
            order.reserveCapacity(messages.count)
            for stream in streams {
                let start = order.count
                order += byStream[stream]!
                for first in stride(from: start, to: order.count, by: messagesPerEntry) {
                    entries.append((stream, first..<min(first + messagesPerEntry, order.count)))
                }
            }
        }
    }
}
