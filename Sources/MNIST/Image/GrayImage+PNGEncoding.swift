// Encoding greyscale images as 8-bit PNG through libpng's simplified write API.

import CLibPNG
import NeuralNet

extension GrayImage {
    /// The image as the bytes of an 8-bit greyscale PNG file.
    /// - Parameter path: only labels errors.
    /// - Throws: `ImageError.encoding` with libpng's message.
    public func pngData(path: String = "<memory>") throws(ImageError) -> [UInt8] {
        guard width > 0, height > 0 else { throw .encoding(path: path, message: "image has no pixels (\(width)×\(height))") }
        // On the heap: libpng keeps a pointer to the png_image while it works.
        let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        image.initialize(to: png_image())
        image.pointee.version = UInt32(PNG_IMAGE_VERSION)
        image.pointee.width = UInt32(width)
        image.pointee.height = UInt32(height)
        image.pointee.format = UInt32(PNG_FORMAT_GRAY)
        defer {
            png_image_free(image)
            image.deallocate()
        }

        // A first call without a buffer measures, the second writes.
        var size: png_alloc_size_t = 0
        let measured = pixels.withUnsafeBytes {
            png_image_write_to_memory(image, nil, &size, 0, $0.baseAddress, Int32(width), nil)
        }
        guard measured != 0, size > 0 else { throw .encoding(path: path, message: libpngMessage(image.pointee)) }
        var output = [UInt8](repeating: 0, count: Int(size))
        let written = pixels.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                png_image_write_to_memory(image, target.baseAddress, &size, 0, source.baseAddress, Int32(width), nil)
            }
        }
        guard written != 0 else { throw .encoding(path: path, message: libpngMessage(image.pointee)) }
        output.removeLast(output.count - Int(size))
        return output
    }

    /// Writes the image as an 8-bit greyscale PNG file, atomically.
    /// - Throws: `ImageError.encoding`, or `.file` when the file cannot be written.
    public func writePNG(to path: String) throws(ImageError) {
        let bytes = try pngData(path: path)
        do {
            try writeFileAtomically(bytes, to: path)
        } catch {
            throw .file(error)
        }
    }
}
