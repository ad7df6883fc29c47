// The one entry point for decoding an image file, whatever its format: the bytes are sniffed
// (ImageFormat) and handed to libpng or libjpeg. Every tool that reads an image calls this.

import NeuralNet

extension GrayImage {
    /// The default pixel budget, for PNG and JPEG alike: 40 million pixels (a 7300×5470
    /// photograph); decoding one that large takes 80 MB, more for an interlaced 16-bit PNG (read
    /// at 16 bits first) or a progressive JPEG (which keeps its coefficients, 2 bytes per sample).
    public static let defaultPixelLimit = 40_000_000

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
