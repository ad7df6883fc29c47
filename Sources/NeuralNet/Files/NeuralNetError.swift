// Errors the network library reports. Each message says what is wrong in words a user can act on.

/// Something the network library was asked to do that cannot be done.
public enum NeuralNetError: Error, Equatable, CustomStringConvertible {
    /// A layer list needs at least an input and an output size, all positive.
    case invalidLayerSizes([Int])
    /// A dropout probability must lie in `0..<1`.
    case invalidDropout(Float)
    /// The loss ran away or stopped being a number: training diverged at batch `batch` of epoch
    /// `epoch`.
    case diverged(loss: Float, epoch: Int, batch: Int)

    public var description: String {
        switch self {
        case .invalidLayerSizes(let sizes):
            let list = sizes.map(String.init).joined(separator: ",")
            return "invalid layer sizes [\(list)]: need at least two sizes (input and output), all positive"
        case .invalidDropout(let probability):
            return "invalid dropout probability \(probability): it must be at least 0 and below 1"
        case .diverged(let loss, let epoch, let batch):
            return "training diverged in epoch \(epoch) at batch \(batch): the loss is \(loss); try a smaller learning rate"
        }
    }
}
