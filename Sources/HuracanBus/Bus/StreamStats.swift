/// Counters of one stream and its consumer groups, for metrics and tests.
public struct StreamStats: Sendable, Hashable {
    /// Counters of one consumer group.
    public struct Group: Sendable, Hashable {
        /// Delivered to a consumer and not yet acknowledged.
        public var pending = 0
        /// Retained entries not yet delivered to this group.
        public var lag = 0
        /// Registered consumers.
        public var consumers = 0
        /// First deliveries (claims not included).
        public var delivered = 0
        public var acknowledged = 0
        /// Redeliveries through `claim`.
        public var claimed = 0
        /// Entries conflated away (lossy streams only) before this group read them: lost to it.
        public var conflatedUnread = 0

        public init() {}
    }

    /// Entries retained (at most the stream's capacity).
    public var length = 0
    /// Messages appended since the stream was created.
    public var published = 0
    /// Oldest entries dropped to make room (lossy streams only).
    public var conflated = 0
    /// Publishes refused with `.backpressure` (lossless streams only).
    public var backpressure = 0
    /// Id of the newest entry, 0 when none was published.
    public var lastID: UInt64 = 0
    public var groups: [String: Group] = [:]

    public init() {}
}
