/// An order journal error; the message names the journal, the order or row, and the fix, and
/// `cause` says what kind of failure it is, for callers that act on it.
public struct JournalError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Cause: String, Sendable, Equatable {
        /// The same client order id for a different order (a bug upstream: never sent).
        case duplicateOrderID
        /// A request the journal cannot record (an order without a client order id).
        case invalidRequest
        /// A stored row that does not read back (written by another program or a newer build).
        case unreadableRow
        /// The journal was closed before the call.
        case closed
        /// The database failed the operation (unreachable, disk full, locked, ...).
        case database
    }

    public var cause: Cause
    public var message: String
    public init(_ cause: Cause, _ message: String) {
        self.cause = cause
        self.message = message
    }
    public var description: String { message }
}
