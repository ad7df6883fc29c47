// From a PNG file to the 28×28 input the network sees, in one call shared by the tools that
// classify files (mnist-predict) and evaluate folders of them (mnist-eval --images-dir).

import NeuralNet

/// Why one image could not become a network input: it could not be read or decoded, or holds no
/// digit (or, raw, is not 28×28). The same shape as any file that could not be used: its path and
/// the reason.
public typealias DigitInputError = FileError

/// Which stage refused a PNG on its way to becoming a network input.
public enum DigitInputFailure: Error, Equatable {
    /// The bytes are not a PNG libpng can read, or the image is too large.
    case decoding(PNGError)
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
    /// The network's input from a PNG: preprocessed, or with `raw` only checked to be 28×28.
    /// - Parameters:
    ///   - bytes: the PNG's bytes, or nil to read the file at `path`.
    ///   - path: the file, and the name errors carry.
    ///   - raw: whether the image is already in MNIST form.
    ///   - pixelLimit: images declaring more pixels are refused before any allocation.
    /// - Throws: `DigitInputFailure` saying which stage refused the image (a server answers
    ///   the two with different statuses).
    public func input(
        decoding bytes: [UInt8]?, path: String, raw: Bool, pixelLimit: Int = GrayImage.defaultPixelLimit
    ) throws(DigitInputFailure) -> GrayImage {
        let decoded: GrayImage
        do throws(PNGError) {
            if let bytes {
                decoded = try GrayImage(pngData: bytes, path: path, pixelLimit: pixelLimit)
            } else {
                decoded = try GrayImage(contentsOfPNG: path, pixelLimit: pixelLimit)
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
    /// - Throws: `DigitInputError` naming the file and the problem.
    public func input(png bytes: [UInt8]? = nil, path: String, raw: Bool) throws(DigitInputError) -> GrayImage {
        do {
            return try input(decoding: bytes, path: path, raw: raw)
        } catch {
            throw DigitInputError(path: path, reason: error.reason)
        }
    }
}
