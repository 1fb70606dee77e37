#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ZSTD, Brotli and LZ4 through the system's shared libraries (libzstd, libbrotlidec, liblz4), loaded on
/// first use with dlopen so the build needs no C headers; where a library is missing the codec
/// answers a clear "not available" error instead.
// Sendable: every property is a constant (C function pointers found once by `init`).
final class SystemCodecLibrary: Sendable {
    typealias ZstdDecompress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int
    typealias ZstdCompress = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int, Int32) -> Int
    typealias ZstdBound = @convention(c) (Int) -> Int
    typealias ZstdIsError = @convention(c) (Int) -> UInt32
    typealias BrotliDecompress = @convention(c) (Int, UnsafePointer<UInt8>?, UnsafeMutablePointer<Int>?, UnsafeMutablePointer<UInt8>?) -> Int32
    /// `LZ4_decompress_safe(src, dst, compressedSize, dstCapacity)`: bytes written, negative on error.
    typealias LZ4Decompress = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

    struct Zstd: Sendable {
        let decompress: ZstdDecompress
        let compress: ZstdCompress
        let bound: ZstdBound
        let isError: ZstdIsError
    }

    static let shared = SystemCodecLibrary()

    let zstd: Zstd?
    let brotliDecompress: BrotliDecompress?
    let lz4Decompress: LZ4Decompress?

    private init() {
        func open(_ names: [String]) -> UnsafeMutableRawPointer? {
            for name in names { if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return handle } }
            return nil
        }
        if let handle = open(["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib"]),
           let d = dlsym(handle, "ZSTD_decompress"), let c = dlsym(handle, "ZSTD_compress"),
           let b = dlsym(handle, "ZSTD_compressBound"), let e = dlsym(handle, "ZSTD_isError") {
            zstd = Zstd(decompress: unsafeBitCast(d, to: ZstdDecompress.self), compress: unsafeBitCast(c, to: ZstdCompress.self),
                        bound: unsafeBitCast(b, to: ZstdBound.self), isError: unsafeBitCast(e, to: ZstdIsError.self))
        } else {
            zstd = nil
        }
        if let handle = open(["libbrotlidec.so.1", "libbrotlidec.so", "libbrotlidec.1.dylib", "libbrotlidec.dylib"]),
           let d = dlsym(handle, "BrotliDecoderDecompress") {
            brotliDecompress = unsafeBitCast(d, to: BrotliDecompress.self)
        } else {
            brotliDecompress = nil
        }
        if let handle = open(["liblz4.so.1", "liblz4.so", "liblz4.1.dylib", "liblz4.dylib"]), let d = dlsym(handle, "LZ4_decompress_safe") {
            lz4Decompress = unsafeBitCast(d, to: LZ4Decompress.self)
        } else {
            lz4Decompress = nil
        }
    }
}
