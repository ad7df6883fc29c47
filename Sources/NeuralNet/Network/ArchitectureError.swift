// What is wrong with a network's description, in words that name the token or module at fault.

/// A network description that cannot be built.
public enum ArchitectureError: Error, Equatable, CustomStringConvertible {
    /// Nothing, or an input of no values.
    case emptyInput
    /// A layer list of fewer than two sizes.
    case tooFewSizes(Int)
    /// A size of zero or less at `position` of a layer list.
    case nonPositiveSize(position: Int, size: Int)
    /// A token of the grammar that means nothing, with why.
    case badToken(String, reason: String)
    /// A module whose numbers are out of range.
    case invalidModule(index: Int, module: Architecture.Module)
    /// A convolution or pooling given features without an image shape.
    case needsImage(index: Int, module: Architecture.Module, shape: ImageShape)
    /// A window larger than the image it slides over.
    case doesNotFit(index: Int, module: Architecture.Module, shape: ImageShape)
    /// A dense layer given an image (the grammar flattens for you; a module list must say so).
    case needsFlatten(index: Int)
    /// Batch norm with nothing before it to normalise, or twice in a row.
    case misplacedBatchNorm(String)
    /// The network must end in a dense layer: its outputs are the classes.
    case lastIsNotDense

    public var description: String {
        switch self {
        case .emptyInput:
            return "the network has no input: start with its size, such as 784 or 1x28x28"
        case .tooFewSizes(let count):
            return "a layer list needs at least two sizes (inputs and classes), such as 784,10; got \(count)"
        case .nonPositiveSize(let position, let size):
            return "layer size \(size) at position \(position + 1) must be a positive whole number"
        case .badToken(let token, let reason):
            return "\"\(token)\": \(reason)"
        case .invalidModule(_, let module):
            return "\(Architecture.token(for: module)): numbers out of range (channels, kernels and strides are positive, padding below the kernel, dropout in 0..<1)"
        case .needsImage(_, let module, let shape):
            return "\(Architecture.token(for: module)) needs an image, but gets \(shape) features; start the network with an image shape such as 1x28x28, and put convolutions and pooling before dense layers"
        case .doesNotFit(_, let module, let shape):
            return "\(Architecture.token(for: module)) does not fit a \(shape.channels)x\(shape.height)x\(shape.width) map: the window is larger than the image"
        case .needsFlatten(let index):
            return "module \(index) is a dense layer given an image; put a flatten before it"
        case .misplacedBatchNorm(let reason):
            return "BN \(reason)"
        case .lastIsNotDense:
            return "the network must end with a dense layer whose size is the number of classes, such as 10"
        }
    }
}
