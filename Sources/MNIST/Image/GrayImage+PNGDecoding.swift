// Decoding PNG files to greyscale through libpng's simplified API (png_image_*), which reports
// errors in `png_image.message` instead of longjmp-ing through Swift frames.
//
// Every PNG libpng reads is accepted: grey of 1–16 bits, grey+alpha, RGB, RGBA, palette with or
// without tRNS, interlaced. libpng converts colour to grey and composites transparency over white,
// since a transparent background is paper.

import CLibPNG
import Foundation
import NeuralNet

extension GrayImage {
    /// Decodes a PNG file's bytes to grey levels, transparency composited over white.
    /// - Parameters:
    ///   - data: the whole file.
    ///   - path: only labels errors.
    ///   - pixelLimit: images declaring more pixels than this are refused before any allocation.
    /// - Throws: `ImageError.empty`, `.tooLarge`, or `.decoding` with libpng's message.
    public init(pngData data: [UInt8], path: String, pixelLimit: Int = GrayImage.defaultPixelLimit) throws(ImageError) {
        guard !data.isEmpty else { throw .empty(path: path) }
        guard ImageFormat(sniffing: data) == .png else {
            let content = ImageFormat(sniffing: data) == .jpeg ? "it is a JPEG image" : ImageFormat.describeContent(data)
            throw .decoding(path: path, format: .png, message: "no PNG signature: \(content)")
        }
        // The bytes stay pinned for the whole decode: libpng keeps a pointer to them between
        // begin_read and finish_read.
        let decoded = try withPNGImage { (image) throws(ImageError) in
            let levels = try data.withUnsafeBytes { bytes in
                Result { () throws(ImageError) in try readLevels(image, from: bytes, path: path, pixelLimit: pixelLimit) }
            }.get()
            return GrayImage(width: Int(image.pointee.width), height: Int(image.pointee.height), pixels: levels)
        }
        self = decoded
    }
}

/// Runs libpng's read on `bytes`: one grey level per pixel, transparency composited over white.
private func readLevels(
    _ image: UnsafeMutablePointer<png_image>, from bytes: UnsafeRawBufferPointer, path: String, pixelLimit: Int
) throws(ImageError) -> [UInt8] {
    guard png_image_begin_read_from_memory(image, bytes.baseAddress, bytes.count) != 0 else {
        throw .decoding(path: path, format: .png, message: libpngMessage(image.pointee))
    }
    let (width, height) = (Int(image.pointee.width), Int(image.pointee.height))
    guard width * height <= pixelLimit else {
        throw .tooLarge(path: path, width: width, height: height, pixelLimit: pixelLimit)
    }
    let isSixteenBit = image.pointee.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0
    // IHDR is the first chunk; its last byte, at offset 28 of the file, is the interlace method.
    let isInterlaced = bytes.count > 28 && bytes[28] != 0
    // 16-bit files without gAMA/sRGB chunks are taken as sRGB like 8-bit ones (libpng's default
    // would take them as linear and brighten them).
    image.pointee.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
    var greyAlpha: [UInt8]
    if isSixteenBit && isInterlaced {
        // libpng 1.6.39 misplaces rows of interlaced 16-bit images when it reduces them to 8 bits
        // itself, so these are read as 16-bit linear light and reduced here. (Not every 16-bit
        // file: building the linear conversion tables costs about a millisecond per image.)
        image.pointee.format = UInt32(PNG_FORMAT_LINEAR_Y_ALPHA)
        var linear = [UInt16](repeating: 0, count: 2 * width * height)
        try finishRead(image, into: &linear, rowStride: 2 * width, path: path)
        greyAlpha = encodeSRGB(linear)
    } else {
        image.pointee.format = UInt32(PNG_FORMAT_GA)
        greyAlpha = [UInt8](repeating: 0, count: 2 * width * height)
        try finishRead(image, into: &greyAlpha, rowStride: 2 * width, path: path)
    }
    return compositeOverWhite(greyAlpha)
}

private func finishRead<Component>(
    _ image: UnsafeMutablePointer<png_image>, into buffer: inout [Component], rowStride: Int, path: String
) throws(ImageError) {
    let finished = buffer.withUnsafeMutableBytes {
        png_image_finish_read(image, nil, $0.baseAddress, Int32(rowStride), nil)
    }
    guard finished != 0 else { throw .decoding(path: path, format: .png, message: libpngMessage(image.pointee)) }
}

/// Grey and alpha bytes composited over white as image viewers do, in sRGB values:
/// grey·α + 255·(1 − α), rounded.
private func compositeOverWhite(_ greyAlpha: [UInt8]) -> [UInt8] {
    (0..<(greyAlpha.count / 2)).map { index in
        let grey = Int(greyAlpha[2 * index])
        let alpha = Int(greyAlpha[2 * index + 1])
        return UInt8((grey * alpha + 255 * (255 - alpha) + 127) / 255)
    }
}

/// 16-bit linear grey with premultiplied alpha (libpng's linear format) as 8-bit sRGB grey and
/// alpha, encoded with the 2.2 power libpng uses, so a 16-bit file reads like its 8-bit twin.
private func encodeSRGB(_ linear: [UInt16]) -> [UInt8] {
    var result = [UInt8](repeating: 0, count: linear.count)
    for index in stride(from: 0, to: linear.count, by: 2) {
        let alpha = Int(linear[index + 1])
        guard alpha > 0 else { continue }
        let grey = min(Int(linear[index]) * 65535 / alpha, 65535)
        result[index] = linearToSRGB[grey]
        result[index + 1] = UInt8((alpha * 255 + 32767) / 65535)
    }
    return result
}

/// 8-bit sRGB value of every 16-bit linear light level.
private let linearToSRGB: [UInt8] = (0...65535).map { level in
    UInt8((255 * pow(Double(level) / 65535, 1 / 2.2)).rounded())
}

/// libpng's error message from a failed simplified-API call.
func libpngMessage(_ image: png_image) -> String {
    var message = image.message
    let text = withUnsafeBytes(of: &message) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    return text.isEmpty ? "libpng reported an error without a message" : text
}
