// libFuzzer target: the IDX reader, raw and gzip (IDXFile(decoding:path:)).
// Any input must give a value or an IDXError; a trap or a sanitizer report is a finding.
// Built and run by scripts/fuzz idx.

import MNIST

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? IDXFile(decoding: bytes, path: "fuzz-input") else { return 0 }
    // A decoded file holds exactly the elements its dimensions declare.
    precondition(file.bytes.count == file.dimensions.reduce(1, *), "IDX elements do not match dimensions")
    return 0
}
