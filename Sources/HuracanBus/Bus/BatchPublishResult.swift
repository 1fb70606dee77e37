/// What a batch publish did: how many messages went in (in order), how many of those pushed
/// out an old entry of a lossy stream, and whether a lossless stream refused the rest.
public struct BatchPublishResult: Sendable, Hashable {
    public var published = 0
    public var conflated = 0
    public var backpressure = false
    public init(published: Int = 0, conflated: Int = 0, backpressure: Bool = false) {
        self.published = published
        self.conflated = conflated
        self.backpressure = backpressure
    }
}
