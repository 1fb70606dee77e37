#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte ranges of a file on disk, read with `pread` as they are needed: a Parquet file's
/// footer on open and one row group at a time afterwards, so reading a file holds only what is
/// being decoded (a mapped file's touched pages count in the process's resident memory until
/// it is closed). Opens the file for each read: a replay keeps hundreds of files in use.
struct ParquetFileBytes: Sendable {
    let path: String
    let size: Int

    init(path: String) throws(ParquetError) {
        self.path = path
        let descriptor = try Self.open(path)
        defer { close(descriptor) }
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else { throw ParquetError(.io, file: path, "cannot read: \(Self.systemError())") }
        size = Int(end)
    }

    /// `count` bytes from `offset`.
    func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset + count <= size else {
            throw ParquetError(.damaged, file: path, "bytes \(offset)..<\(offset + count) are outside the file (\(size) bytes)")
        }
        let descriptor = try Self.open(path)
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw ParquetError(.io, file: path, n == 0 ? "the file ended early (truncated while reading?)" : "cannot read: \(Self.systemError())") }
            done += n
        }
        return bytes
    }

    private static func open(_ path: String) throws(ParquetError) -> Int32 {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ParquetError(.io, file: path, "cannot read: \(systemError())") }
        return descriptor
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
