/// An order journal error; the message names the journal, the order or row, and the fix.
public struct JournalError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
