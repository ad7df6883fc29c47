// Errors turning a decoded image into a network input. Every message names the file.

/// Why an image could not be made into an MNIST-style digit.
public enum PreprocessError: Error, Equatable, CustomStringConvertible {
    /// Nothing in the image stands out from the paper: it is blank, or its contrast is too low.
    case noInk(path: String)
    /// `--raw` input must already be MNIST's 28×28.
    case notMNISTSize(path: String, width: Int, height: Int, side: Int)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .noInk(let path), .notMNISTSize(let path, _, _, _): return path
        }
    }

    /// What is wrong, without the file name.
    public var reason: String {
        switch self {
        case .noInk:
            return "no ink found: the image is blank or its contrast is too low to find a digit"
        case .notMNISTSize(_, let width, let height, let side):
            return "image is \(width)×\(height); raw input must be \(side)×\(side) (leave out --raw to preprocess it)"
        }
    }

    public var description: String { "\(path): \(reason)" }
}
