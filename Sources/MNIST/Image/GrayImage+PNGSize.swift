// A PNG file's size from its header alone, for callers that show a file they do not need to
// decode again (the HTML report's gallery of a folder's mistakes); and the png_image that every
// read through libpng's simplified API works on.

import CLibPNG

extension GrayImage {
    /// The width and height that a PNG file's header (IHDR) declares; libpng reads the signature
    /// and the header, checks their CRCs, and stops before the pixels.
    /// - Parameters:
    ///   - data: the file's bytes (at least its first chunk).
    ///   - path: only labels errors.
    /// - Throws: `ImageError.empty`, `.notAnImage`, or `.decoding` with libpng's message.
    public static func pngSize(of data: [UInt8], path: String) throws(ImageError) -> (width: Int, height: Int) {
        guard !data.isEmpty else { throw .empty(path: path) }
        guard ImageFormat(sniffing: data) == .png else {
            throw .notAnImage(path: path, content: "it does not start with the PNG signature")
        }
        return try withPNGImage { (image) throws(ImageError) in
            let began = data.withUnsafeBytes { png_image_begin_read_from_memory(image, $0.baseAddress, $0.count) }
            guard began != 0 else { throw .decoding(path: path, format: .png, message: libpngMessage(image.pointee)) }
            return (Int(image.pointee.width), Int(image.pointee.height))
        }
    }
}

/// Runs `body` on a fresh png_image, freed afterwards. The image lives on the heap because libpng
/// keeps a pointer to it (for its error messages) from begin_read to finish_read.
func withPNGImage<Value>(
    _ body: (UnsafeMutablePointer<png_image>) throws(ImageError) -> Value
) throws(ImageError) -> Value {
    let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
    image.initialize(to: png_image())
    image.pointee.version = UInt32(PNG_IMAGE_VERSION)
    defer {
        png_image_free(image)
        image.deallocate()
    }
    return try body(image)
}
