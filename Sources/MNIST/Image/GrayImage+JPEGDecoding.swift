// Decoding JPEG files to greyscale through libjpeg-turbo. The C part (Sources/CJPEG/shim.h) keeps
// libjpeg's longjmp error handling inside C; here the header is read first, the size checked
// against the pixel budget, and only then is memory allocated and the image decoded.
//
// Grey, YCbCr and RGB files give their luma; CMYK and YCCK files are converted to grey here;
// baseline and progressive files alike; the Exif orientation is applied, so that a phone photo
// taken sideways reads upright.

import CJPEG
import NeuralNet

extension GrayImage {
    /// Decodes a JPEG file's bytes to grey levels, turned upright by its Exif orientation.
    /// - Parameters:
    ///   - data: the whole file.
    ///   - path: only labels errors.
    ///   - pixelLimit: images declaring more pixels than this are refused before decoding.
    /// - Throws: `ImageError.empty`, `.tooLarge`, `.truncated`, or `.decoding` with libjpeg's message.
    public init(jpegData data: [UInt8], path: String, pixelLimit: Int = GrayImage.defaultPixelLimit) throws(ImageError) {
        guard !data.isEmpty else { throw .empty(path: path) }
        guard ImageFormat(sniffing: data) == .jpeg else {
            throw .decoding(path: path, format: .jpeg, message: "no JPEG start marker: \(ImageFormat.describeContent(data))")
        }
        let header = try runLibjpeg(data, into: nil, path: path)
        let (width, height) = (Int(header.width), Int(header.height))
        guard width * height <= pixelLimit else {
            throw .tooLarge(path: path, width: width, height: height, pixelLimit: pixelLimit)
        }
        let components = Int(header.components)
        var samples = [UInt8](repeating: 0, count: width * height * components)
        _ = try runLibjpeg(data, into: &samples, path: path)
        let levels = components == 4 ? greyOfCMYK(samples, inverted: header.inverted_cmyk != 0) : samples
        self = GrayImage(width: width, height: height, pixels: levels).oriented(ExifOrientation(jpeg: data))
    }
}

/// One call of the C decoder: the header only (`output` nil), or the whole image into `output`.
private func runLibjpeg(_ data: [UInt8], into output: UnsafeMutablePointer<[UInt8]>?, path: String) throws(ImageError) -> cjpeg_result {
    var result = cjpeg_result()
    let status = data.withUnsafeBufferPointer { input in
        guard let output else { return cjpeg_decode(input.baseAddress, UInt(input.count), nil, 0, &result) }
        return output.pointee.withUnsafeMutableBufferPointer {
            cjpeg_decode(input.baseAddress, UInt(input.count), $0.baseAddress, UInt($0.count), &result)
        }
    }
    guard status == 0 else {
        if result.truncated != 0 { throw .truncated(path: path, format: .jpeg) }
        throw .decoding(path: path, format: .jpeg, message: libjpegMessage(result))
    }
    guard result.components == 1 || result.components == 4 else {
        throw .decoding(path: path, format: .jpeg, message: "\(result.components) output components")
    }
    return result
}

/// libjpeg's message, kept by the C error handler.
private func libjpegMessage(_ result: cjpeg_result) -> String {
    var message = result.message
    let text = withUnsafeBytes(of: &message) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    return text.isEmpty ? "libjpeg reported an error without a message" : text
}

/// CMYK samples as grey: each ink's complement gives red, green and blue (R = (1−C)(1−K), …),
/// then luma 0.299 R + 0.587 G + 0.114 B as for YCbCr files. Adobe's files store the inks
/// inverted (255 is no ink), so their samples are the complements already.
private func greyOfCMYK(_ samples: [UInt8], inverted: Bool) -> [UInt8] {
    (0..<(samples.count / 4)).map { index in
        let clear = samples[(4 * index)..<(4 * index + 4)].map { inverted ? Int($0) : 255 - Int($0) }
        // 1000 × 255 × luma: the weights sum to 1000, each channel is a product of two levels.
        let scaled = (299 * clear[0] + 587 * clear[1] + 114 * clear[2]) * clear[3]
        return UInt8((scaled + 127_500) / 255_000)
    }
}
