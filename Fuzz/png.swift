// libFuzzer target: PNG decoding (GrayImage(pngData:path:)) and digit preprocessing, both the full
// recipe and the --raw check. Any input must give a value or a typed error (PNGError,
// PreprocessError); a trap or a sanitizer report is a finding. Built and run by scripts/fuzz png.

import MNIST

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let image = try? GrayImage(pngData: bytes, path: "fuzz-input") else { return 0 }
    let preprocessor = DigitPreprocessor()
    if let digit = try? preprocessor.preprocess(image, path: "fuzz-input") {
        precondition(digit.width == preprocessor.fieldSide && digit.height == preprocessor.fieldSide, "preprocessed digit is not 28×28")
    }
    _ = try? preprocessor.raw(image, path: "fuzz-input")
    return 0
}
