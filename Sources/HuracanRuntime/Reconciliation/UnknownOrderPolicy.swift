/// What reconciliation does with an open venue order the journal does not know (placed by hand,
/// by another program on the same key, or by a run whose journal was lost).
public enum UnknownOrderPolicy: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Journal it (origin venue, status adopted) and leave it working at the venue.
    case adopt
    /// Journal it, cancel it at the venue, and record the cancel.
    case cancel

    public var description: String { rawValue }
}
