// libFuzzer target: JPEG decoding (GrayImage(jpegData:path:): libjpeg-turbo through the C shim,
// the Exif orientation parse and turn, CMYK to grey) and digit preprocessing. Any input must give
// a value or a typed error (ImageError, PreprocessError); a trap, a sanitizer report, or libjpeg
// ending the process is a finding. Built and run by scripts/fuzz jpeg.

import MNIST

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = ExifOrientation(jpeg: bytes)
    guard let image = try? GrayImage(jpegData: bytes, path: "fuzz-input") else { return 0 }
    let preprocessor = DigitPreprocessor()
    if let digit = try? preprocessor.preprocess(image, path: "fuzz-input") {
        precondition(digit.width == preprocessor.fieldSide && digit.height == preprocessor.fieldSide, "preprocessed digit is not 28×28")
    }
    return 0
}
