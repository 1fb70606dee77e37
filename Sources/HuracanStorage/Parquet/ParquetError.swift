/// A Parquet file that cannot be read or written, naming the file and what is wrong.
public struct ParquetError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
