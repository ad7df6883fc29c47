// Errors decoding and encoding PNG files. Every message names the file and says what is wrong.

import NeuralNet

/// Why a PNG file could not be read or written.
public enum PNGError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or written at all.
    case file(FileError)
    /// The file holds no bytes.
    case empty(path: String)
    /// The file does not start with the PNG signature; `content` guesses what it is instead.
    case notPNG(path: String, content: String)
    /// The header declares more pixels than the budget allows; nothing was allocated.
    case tooLarge(path: String, width: Int, height: Int, pixelLimit: Int)
    /// libpng rejected the data (truncated, CRC error, bad chunk, …); `message` is libpng's own.
    case decoding(path: String, message: String)
    /// libpng could not encode the image.
    case encoding(path: String, message: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .file(let error): return error.path
        case .empty(let path), .notPNG(let path, _), .tooLarge(let path, _, _, _),
             .decoding(let path, _), .encoding(let path, _):
            return path
        }
    }

    /// What is wrong, without the file name.
    public var reason: String {
        switch self {
        case .file(let error):
            return error.reason
        case .empty:
            return "empty file (0 bytes), not a PNG image"
        case .notPNG(_, let content):
            return "not a PNG file: \(content)"
        case .tooLarge(_, let width, let height, let limit):
            return "image is \(width)×\(height) pixels, more than the limit of \(limit) pixels; refusing to decode it"
        case .decoding(_, let message):
            return "cannot decode PNG: \(message)"
        case .encoding(_, let message):
            return "cannot encode PNG: \(message)"
        }
    }

    public var description: String { "\(path): \(reason)" }
}
