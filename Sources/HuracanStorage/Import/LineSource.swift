import CompressNIO
import Foundation
import NIOCore
import ZIPFoundation

/// Streams the text lines of a CSV file that may be plain, gzipped (`.gz`) or a zip archive of
/// CSV files (`.zip`, as Binance publishes them), without loading a zip entry whole.
enum LineSource {
    /// Calls `body(file, lineNumber, line)` for every line; `progress(bytesDone)` now and then.
    /// `file` is the path, or `archive.zip:entry.csv` inside archives.
    static func forEachLine(path: String, progress: (Int64) -> Void, _ body: (String, Int, Substring) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        if path.lowercased().hasSuffix(".zip") {
            let archive: Archive
            do { archive = try Archive(url: url, accessMode: .read) } catch {
                throw DataLakeError("\(path): not a readable zip archive (\(error))")
            }
            var done: Int64 = 0
            for entry in archive where entry.type == .file && !entry.path.hasSuffix("/") {
                var splitter = LineSplitter()
                let name = "\(path):\(entry.path)"
                var failure: (any Error)?
                do {
                    _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { chunk in
                        guard failure == nil else { return }
                        done += Int64(chunk.count)
                        do { try splitter.feed(chunk) { try body(name, $0, $1) } } catch { failure = error }
                        progress(done)
                    }
                } catch {
                    if failure == nil { throw DataLakeError("\(name): cannot extract (\(error))") }
                }
                if let failure { throw failure }
                try splitter.finish { try body(name, $0, $1) }
            }
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataLakeError("\(path): cannot open") }
        defer { try? handle.close() }
        var splitter = LineSplitter()
        if path.lowercased().hasSuffix(".gz") {
            let compressed = handle.readDataToEndOfFile()
            var buffer = ByteBuffer(bytes: compressed)
            var inflated: ByteBuffer
            do { inflated = try buffer.decompress(with: .gzip()) } catch {
                throw DataLakeError("\(path): gzip data is corrupt (\(error))")
            }
            let data = Data(inflated.readBytes(length: inflated.readableBytes) ?? [])
            try splitter.feed(data) { try body(path, $0, $1) }
            progress(Int64(compressed.count))
        } else {
            var done: Int64 = 0
            while true {
                let chunk = handle.readData(ofLength: 1 << 20)
                if chunk.isEmpty { break }
                done += Int64(chunk.count)
                try splitter.feed(chunk) { try body(path, $0, $1) }
                progress(done)
            }
        }
        try splitter.finish { try body(path, $0, $1) }
    }
}

/// Splits a byte stream into lines (LF or CRLF), numbering them from 1.
struct LineSplitter {
    private var pending: [UInt8] = []
    private(set) var lineNumber = 0

    mutating func feed(_ data: Data, _ body: (Int, Substring) throws -> Void) throws {
        var start = data.startIndex
        var index = data.startIndex
        while index < data.endIndex {
            if data[index] == 0x0A {
                pending.append(contentsOf: data[start..<index])
                try emit(body)
                start = index + 1
            }
            index += 1
        }
        pending.append(contentsOf: data[start..<data.endIndex])
    }

    mutating func finish(_ body: (Int, Substring) throws -> Void) throws {
        if !pending.isEmpty { try emit(body) }
    }

    private mutating func emit(_ body: (Int, Substring) throws -> Void) throws {
        lineNumber += 1
        if pending.last == 0x0D { pending.removeLast() }
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        try body(lineNumber, Substring(line))
    }
}
