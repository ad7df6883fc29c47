// Decoding PNG files to greyscale through libpng's simplified API (png_image_*), which reports
// errors in `png_image.message` instead of longjmp-ing through Swift frames.
//
// Every PNG libpng reads is accepted: grey of 1–16 bits, grey+alpha, RGB, RGBA, palette with or
// without tRNS, interlaced. libpng converts colour to grey (sRGB luminance) and 16-bit to 8-bit; we
// composite the alpha channel over white ourselves, since a transparent background is paper.

import CLibPNG
import NeuralNet

extension GrayImage {
    /// The default pixel budget: 40 million pixels (a 7300×5470 photograph), 80 MB while decoding.
    public static let defaultPixelLimit = 40_000_000

    /// The PNG signature every PNG file starts with.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads and decodes a PNG file.
    /// - Parameters:
    ///   - path: the file.
    ///   - pixelLimit: images declaring more pixels than this are refused before any allocation.
    /// - Throws: `PNGError` naming the file and the problem.
    public init(contentsOfPNG path: String, pixelLimit: Int = GrayImage.defaultPixelLimit) throws(PNGError) {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw .file(error)
        }
        try self.init(pngData: bytes, path: path, pixelLimit: pixelLimit)
    }

    /// Decodes a PNG file's bytes to grey levels, transparency composited over white.
    /// - Parameters:
    ///   - data: the whole file.
    ///   - path: only labels errors.
    ///   - pixelLimit: images declaring more pixels than this are refused before any allocation.
    /// - Throws: `PNGError.empty`, `.notPNG`, `.tooLarge`, or `.decoding` with libpng's message.
    public init(pngData data: [UInt8], path: String, pixelLimit: Int = GrayImage.defaultPixelLimit) throws(PNGError) {
        guard !data.isEmpty else { throw .empty(path: path) }
        guard data.starts(with: Self.pngSignature) else {
            throw .notPNG(path: path, content: describeContent(data))
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }

        let begun = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw .decoding(path: path, message: libpngMessage(image)) }

        let width = Int(image.width)
        let height = Int(image.height)
        guard width * height <= pixelLimit else {
            throw .tooLarge(path: path, width: width, height: height, pixelLimit: pixelLimit)
        }
        // Grey + alpha, one byte each. 16-bit files without gAMA/sRGB chunks are taken as sRGB
        // like 8-bit ones (libpng's default would treat them as linear and brighten them).
        image.format = UInt32(PNG_FORMAT_GA)
        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        var greyAlpha = [UInt8](repeating: 0, count: 2 * width * height)
        let finished = greyAlpha.withUnsafeMutableBytes {
            png_image_finish_read(&image, nil, $0.baseAddress, Int32(2 * width), nil)
        }
        guard finished != 0 else { throw .decoding(path: path, message: libpngMessage(image)) }

        var levels = [UInt8](repeating: 0, count: width * height)
        for index in 0..<(width * height) {
            let grey = Int(greyAlpha[2 * index])
            let alpha = Int(greyAlpha[2 * index + 1])
            // grey·α + white·(1 − α), rounded.
            levels[index] = UInt8((grey * alpha + 255 * (255 - alpha) + 127) / 255)
        }
        self.init(width: width, height: height, pixels: levels)
    }
}

/// libpng's error message from a failed simplified-API call.
func libpngMessage(_ image: png_image) -> String {
    var message = image.message
    let text = withUnsafeBytes(of: &message) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    return text.isEmpty ? "libpng reported an error without a message" : text
}

/// A guess at what a file that is not a PNG holds, for the error message.
private func describeContent(_ data: [UInt8]) -> String {
    if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "it is a JPEG image (convert it to PNG first)" }
    if data.starts(with: Array("GIF8".utf8)) { return "it is a GIF image (convert it to PNG first)" }
    if data.starts(with: Array("BM".utf8)) && data.count > 14 { return "it looks like a BMP image (convert it to PNG first)" }
    let head = data.prefix(512)
    let printable = head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32...126).contains($0) || $0 >= 128 }
    if printable { return "it holds text" }
    return "it does not start with the PNG signature 89 50 4E 47 0D 0A 1A 0A"
}
