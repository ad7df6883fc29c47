// Errors decoding and encoding image files (PNG, JPEG). Every message names the file and says
// what is wrong.

import NeuralNet

/// Why an image file could not be read or written.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or written at all.
    case file(FileError)
    /// The file holds no bytes.
    case empty(path: String)
    /// The bytes are neither a PNG nor a JPEG; `content` guesses what they are instead.
    case notAnImage(path: String, content: String)
    /// The header declares more pixels than the budget allows; nothing was allocated.
    case tooLarge(path: String, width: Int, height: Int, pixelLimit: Int)
    /// The file ends before its image data does.
    case truncated(path: String, format: ImageFormat)
    /// The decoder rejected the data (CRC error, bad marker, …); `message` is the library's own.
    case decoding(path: String, format: ImageFormat, message: String)
    /// libpng could not encode the image.
    case encoding(path: String, message: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .file(let error): return error.path
        case .empty(let path), .notAnImage(let path, _), .tooLarge(let path, _, _, _), .truncated(let path, _),
             .decoding(let path, _, _), .encoding(let path, _):
            return path
        }
    }

    /// What is wrong, without the file name.
    public var reason: String {
        switch self {
        case .file(let error):
            return error.reason
        case .empty:
            return "empty file (0 bytes), not an image"
        case .notAnImage(_, let content):
            return "not a PNG or JPEG image: \(content)"
        case .tooLarge(_, let width, let height, let limit):
            return "image is \(width)×\(height) pixels, more than the limit of \(limit) pixels; refusing to decode it"
        case .truncated(_, let format):
            return "truncated \(format.name) file: it ends before the image data does"
        case .decoding(_, let format, let message):
            return "cannot decode \(format.name): \(message)"
        case .encoding(_, let message):
            return "cannot encode PNG: \(message)"
        }
    }

    public var description: String { "\(path): \(reason)" }
}
