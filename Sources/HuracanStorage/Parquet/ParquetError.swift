/// A Parquet file that cannot be read or written, with the file, what went wrong and why
/// (`cause`, for callers that act on it: skip a damaged file, report a missing library).
public struct ParquetError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Cause: String, Sendable, Equatable {
        /// The file cannot be opened, read, created or written (permissions, disk, a file that
        /// ended while it was read).
        case io
        /// The bytes are not valid Parquet: truncated, a corrupt footer, page or value.
        case damaged
        /// Valid Parquet this build does not handle: nested schemas, INT96, an encoding, or a
        /// codec whose system library is missing.
        case unsupported
        /// A valid file whose columns are not what the reader expects: a missing column, another
        /// type, another schema version, an unknown value.
        case schemaMismatch
        /// The writer was asked for something it cannot do: a table that does not match the
        /// schema, a write after close.
        case invalidUse
    }

    public var cause: Cause
    public var file: String
    public var message: String

    public init(_ cause: Cause, file: String, _ message: String) {
        self.cause = cause
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
