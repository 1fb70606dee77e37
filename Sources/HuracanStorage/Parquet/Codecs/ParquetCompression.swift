import CompressNIO
import NIOCore

/// Compresses and decompresses Parquet pages. SNAPPY is ours, GZIP is zlib (compress-nio),
/// ZSTD, BROTLI and LZ4_RAW (the last two read only) come from the system libraries when present.
enum ParquetCompression {
    struct Failure: Error, Sendable {
        var message: String
        /// The codec is valid Parquet but not available in this build or on this machine.
        var unsupported = false
    }

    static func isAvailable(_ codec: ParquetCodec) -> Bool {
        switch codec {
        case .uncompressed, .snappy, .gzip: true
        case .zstd: SystemCodecLibrary.shared.zstd != nil
        default: false
        }
    }

    static func compress(_ input: [UInt8], codec: ParquetCodec, level: Int32 = 1) throws(Failure) -> [UInt8] {
        switch codec {
        case .uncompressed:
            return input
        case .snappy:
            return Snappy.compress(input)
        case .gzip:
            var buffer = ByteBuffer(bytes: input)
            do {
                var out = try buffer.compress(with: .gzip())
                return out.readBytes(length: out.readableBytes) ?? []
            } catch {
                throw Failure(message: "gzip compression failed: \(error)")
            }
        case .zstd:
            guard let zstd = SystemCodecLibrary.shared.zstd else { throw Failure(message: "codec ZSTD not available: libzstd.so.1 not found", unsupported: true) }
            let bound = zstd.bound(input.count)
            var failed = false
            let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, written in
                let n = input.withUnsafeBytes { zstd.compress(buffer.baseAddress, bound, $0.baseAddress, input.count, level) }
                if zstd.isError(n) != 0 {
                    failed = true
                    written = 0
                } else {
                    written = n
                }
            }
            if failed { throw Failure(message: "zstd compression failed") }
            return out
        default:
            throw Failure(message: "codec \(codec) not supported for writing (use snappy, zstd, gzip or none)", unsupported: true)
        }
    }

    /// Decompresses a page to exactly `uncompressedSize` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, codec: ParquetCodec, uncompressedSize: Int) throws(Failure) -> [UInt8] {
        switch codec {
        case .uncompressed:
            guard input.count == uncompressedSize else {
                throw Failure(message: "uncompressed page of \(input.count) bytes, header says \(uncompressedSize)")
            }
            return Array(input)
        case .snappy:
            do { return try Snappy.decompress(input, expectedLength: uncompressedSize) } catch { throw Failure(message: error.message) }
        case .gzip:
            var buffer = ByteBuffer(bytes: input)
            var out = ByteBufferAllocator().buffer(capacity: max(uncompressedSize, 1))
            do {
                try buffer.decompress(to: &out, with: .gzip())
            } catch {
                throw Failure(message: "gzip data is corrupt: \(error)")
            }
            guard out.readableBytes == uncompressedSize else {
                throw Failure(message: "gzip page gave \(out.readableBytes) bytes, header says \(uncompressedSize)")
            }
            return out.readBytes(length: uncompressedSize) ?? []
        case .zstd:
            guard let zstd = SystemCodecLibrary.shared.zstd else {
                throw Failure(message: "codec ZSTD not supported here: libzstd.so.1 not found (install libzstd1)", unsupported: true)
            }
            var failed = false
            let out = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, written in
                let n = zstd.decompress(buffer.baseAddress, uncompressedSize, input.baseAddress, input.count)
                if zstd.isError(n) != 0 || n != uncompressedSize {
                    failed = true
                    buffer.initialize(repeating: 0)
                    written = uncompressedSize
                } else {
                    written = n
                }
            }
            if failed { throw Failure(message: "zstd data is corrupt or does not give \(uncompressedSize) bytes") }
            return out
        case .brotli:
            guard let brotli = SystemCodecLibrary.shared.brotliDecompress else {
                throw Failure(message: "codec BROTLI not supported here: libbrotlidec.so.1 not found (install libbrotli1)", unsupported: true)
            }
            var failed = false
            let out = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, written in
                var size = uncompressedSize
                let status = brotli(input.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self), &size, buffer.baseAddress)
                if status != 1 || size != uncompressedSize {
                    failed = true
                    buffer.initialize(repeating: 0)
                    written = uncompressedSize
                } else {
                    written = size
                }
            }
            if failed { throw Failure(message: "brotli data is corrupt or does not give \(uncompressedSize) bytes") }
            return out
        case .lz4Raw:
            guard let lz4 = SystemCodecLibrary.shared.lz4Decompress else {
                throw Failure(message: "codec LZ4_RAW not supported here: liblz4.so.1 not found (install liblz4-1)", unsupported: true)
            }
            guard input.count <= Int(Int32.max), uncompressedSize <= Int(Int32.max) else { throw Failure(message: "LZ4_RAW page too large") }
            var failed = false
            let out = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, written in
                let n = lz4(input.baseAddress, buffer.baseAddress, Int32(input.count), Int32(uncompressedSize))
                if n != Int32(uncompressedSize) {
                    failed = true
                    buffer.initialize(repeating: 0)
                }
                written = uncompressedSize
            }
            if failed { throw Failure(message: "LZ4_RAW data is corrupt or does not give \(uncompressedSize) bytes") }
            return out
        default:
            throw Failure(message: "codec \(codec) not supported (supported: UNCOMPRESSED, SNAPPY, GZIP, ZSTD, BROTLI, LZ4_RAW)", unsupported: true)
        }
    }
}

extension ParquetCodec {
    /// Whether ZSTD pages can be written and read here (libzstd present).
    public static var zstdAvailable: Bool { SystemCodecLibrary.shared.zstd != nil }
    /// Whether BROTLI pages can be read here (libbrotlidec present).
    public static var brotliAvailable: Bool { SystemCodecLibrary.shared.brotliDecompress != nil }
    /// Whether LZ4_RAW pages can be read here (liblz4 present).
    public static var lz4RawAvailable: Bool { SystemCodecLibrary.shared.lz4Decompress != nil }
}
