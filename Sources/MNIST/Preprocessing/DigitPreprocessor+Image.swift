// From an image file (PNG or JPEG, told apart by content) to the 28×28 input the network sees,
// in one call shared by the tools that classify files (mnist-predict), evaluate folders of them
// (mnist-eval --images-dir) and answer uploads (mnist-serve).

import NeuralNet

/// Which stage refused an image on its way to becoming a network input.
public enum DigitInputFailure: Error, Equatable {
    /// The bytes are not a PNG or JPEG the decoders can read, or the image is too large.
    case decoding(ImageError)
    /// The image decoded but holds no digit (or, raw, is not 28×28).
    case preprocessing(PreprocessError)

    /// What is wrong, without the path.
    public var reason: String {
        switch self {
        case .decoding(let error): return error.reason
        case .preprocessing(let error): return error.reason
        }
    }
}

extension DigitPreprocessor {
    /// The network's input from a PNG or JPEG: preprocessed, or with `raw` only checked to be 28×28.
    /// - Parameters:
    ///   - bytes: the file's bytes, or nil to read the file at `path`.
    ///   - path: the file, and the name errors carry.
    ///   - raw: whether the image is already in MNIST form.
    ///   - pixelLimit: images declaring more pixels are refused before decoding.
    /// - Throws: `DigitInputFailure` saying which stage refused the image (a server answers
    ///   the two with different statuses).
    public func input(
        decoding bytes: [UInt8]?, path: String, raw: Bool, pixelLimit: Int = GrayImage.defaultPixelLimit
    ) throws(DigitInputFailure) -> GrayImage {
        try input(decoding: bytes, file: FileSystemPath(path), raw: raw, pixelLimit: pixelLimit)
    }

    /// The same for a file whose path is kept as bytes (one found by listing a folder).
    public func input(
        decoding bytes: [UInt8]?, file: FileSystemPath, raw: Bool, pixelLimit: Int = GrayImage.defaultPixelLimit
    ) throws(DigitInputFailure) -> GrayImage {
        let path = file.description
        let decoded: GrayImage
        do throws(ImageError) {
            if let bytes {
                decoded = try GrayImage(imageData: bytes, path: path, pixelLimit: pixelLimit)
            } else {
                decoded = try GrayImage(contentsOf: file, pixelLimit: pixelLimit)
            }
        } catch {
            throw .decoding(error)
        }
        do throws(PreprocessError) {
            return try raw ? self.raw(decoded, path: path) : preprocess(decoded, path: path)
        } catch {
            throw .preprocessing(error)
        }
    }

    /// The same, for tools that only report a file and the problem.
    /// - Parameters:
    ///   - bytes: the file's bytes, or nil to read the file.
    /// - Throws: `FileError` naming the file and the problem.
    public func input(imageData bytes: [UInt8]? = nil, file: FileSystemPath, raw: Bool) throws(FileError) -> GrayImage {
        do {
            return try input(decoding: bytes, file: file, raw: raw)
        } catch {
            throw FileError(path: file.description, reason: error.reason)
        }
    }
}
