// The one entry point for decoding an image file, whatever its format: the bytes are sniffed
// (ImageFormat) and handed to libpng or libjpeg. Every tool that reads an image calls this.

import NeuralNet

extension GrayImage {
    /// The pixel budget every tool reads images with, PNG and JPEG alike (mnist-predict,
    /// mnist-eval --images-dir, mnist-serve): 2²⁴ = 16,777,216 pixels, a 4096×4096 square, room for
    /// a 12-megapixel phone photograph (4000×3000) and a 16-megapixel one (4608×3456). Reading and
    /// preprocessing a PNG that large peaks at about 140 MB, 7 bytes a pixel (docs/limits.md); a
    /// progressive JPEG keeps its coefficients too, 2 bytes per sample. A larger image is refused
    /// from its header before any of it is allocated.
    public static let defaultPixelLimit = 1 << 24

    /// Decodes a PNG or JPEG file's bytes to grey levels (0 black … 255 white), telling the
    /// format by the first bytes, not by the name.
    /// - Parameters:
    ///   - data: the whole file.
    ///   - path: only labels errors.
    ///   - pixelLimit: images declaring more pixels than this are refused before decoding.
    /// - Throws: `ImageError` naming the file and the problem.
    public init(imageData data: [UInt8], path: String, pixelLimit: Int = GrayImage.defaultPixelLimit) throws(ImageError) {
        guard !data.isEmpty else { throw .empty(path: path) }
        switch ImageFormat(sniffing: data) {
        case .png: try self.init(pngData: data, path: path, pixelLimit: pixelLimit)
        case .jpeg: try self.init(jpegData: data, path: path, pixelLimit: pixelLimit)
        case nil: throw .notAnImage(path: path, content: ImageFormat.describeContent(data))
        }
    }

    /// Reads and decodes a PNG or JPEG file.
    /// - Throws: `ImageError` naming the file and the problem.
    public init(contentsOf path: FileSystemPath, pixelLimit: Int = GrayImage.defaultPixelLimit) throws(ImageError) {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw .file(error)
        }
        try self.init(imageData: bytes, path: path.description, pixelLimit: pixelLimit)
    }
}
