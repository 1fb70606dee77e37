import Foundation
import HuracanFuzzTargets

/// The fuzzer's entry point (built only with HURACAN_FUZZ=1 and -sanitize=fuzzer; see
/// tools/fuzz/fuzz.sh). SwiftPM names an executable's entry `HuracanFuzz_main`; it hands the
/// command line to libFuzzer's driver with the harness chosen by HURACAN_FUZZ_TARGET (resp,
/// venues, parquet, config, csv or bus).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

nonisolated(unsafe) var fuzzTarget = FuzzTarget.resp

@_cdecl("HuracanFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = ProcessInfo.processInfo.environment["HURACAN_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("HURACAN_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        return 64
    }
    fuzzTarget = target
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        fuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
