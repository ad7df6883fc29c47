// From a PNG file to the 28×28 input the network sees, in one call shared by the tools that
// classify files (mnist-predict) and evaluate folders of them (mnist-eval --images-dir).

import NeuralNet

/// Why one image could not become a network input: it could not be read or decoded, or holds no
/// digit (or, raw, is not 28×28). The same shape as any file that could not be used: its path and
/// the reason.
public typealias DigitInputError = FileError

extension DigitPreprocessor {
    /// The network's input from a PNG: preprocessed, or with `raw` only checked to be 28×28.
    /// - Parameters:
    ///   - bytes: the PNG's bytes, or nil to read the file at `path`.
    ///   - path: the file, and the name errors carry.
    ///   - raw: whether the image is already in MNIST form.
    /// - Throws: `DigitInputError` naming the file and the problem.
    public func input(png bytes: [UInt8]? = nil, path: String, raw: Bool) throws(DigitInputError) -> GrayImage {
        do {
            let decoded = try bytes.map { bytes throws(PNGError) in try GrayImage(pngData: bytes, path: path) }
                ?? GrayImage(contentsOfPNG: path)
            return try raw ? self.raw(decoded, path: path) : preprocess(decoded, path: path)
        } catch let error as PNGError {
            throw DigitInputError(path: path, reason: error.reason)
        } catch let error as PreprocessError {
            throw DigitInputError(path: path, reason: error.reason)
        } catch {
            throw DigitInputError(path: path, reason: "\(error)")
        }
    }
}
