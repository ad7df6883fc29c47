// What a layer with tensors shows the rest of the library: its tensors under PyTorch's names and
// shapes (model files, checkpoints, exports read them from here), and its gradients on request
// (gradient checks read them from here).

/// One tensor a layer keeps, named as PyTorch names it within the layer's module.
public struct LayerTensor {
    /// `weight`, `bias`, `running_mean` or `running_var`.
    public let name: String
    /// PyTorch's shape: `[out, in]` for a Linear weight, `[out, in, kh, kw]` for a convolution's.
    public let shape: [Int]
    /// The values, row-major in `shape`'s order (the matrix's own shape is the layer's concern).
    public let values: Matrix
    /// Whether training learns it by gradient (running statistics are tracked, not learned).
    public let isLearned: Bool

    /// A tensor of a layer.
    public init(name: String, shape: [Int], values: Matrix, isLearned: Bool = true) {
        precondition(shape.reduce(1, *) == values.count, "\(name): shape \(shape) holds \(values.count) values?")
        self.name = name
        self.shape = shape
        self.values = values
        self.isLearned = isLearned
    }
}

/// A layer with tensors: parameters that training learns and, for batch norm, running statistics.
public protocol ParameterizedLayer: Layer {
    /// Every tensor, in the order PyTorch's state dict lists them for this module.
    var tensors: [LayerTensor] { get }

    /// The gradient of each learned tensor (in `tensors`' order, shaped like its `values`) for the
    /// last backward over the whole batch, whose input was `x` and output gradient `outputGradient`;
    /// new matrices, for checking gradients.
    func parameterGradients(input x: Matrix, outputGradient: Matrix) -> [Matrix]
}

/// A layer whose learned tensors an optimizer updates; the optimizer's memory lives in the layer.
protocol OptimizedLayer: ParameterizedLayer {
    /// What the optimizer keeps for this layer from step to step.
    var optimizerState: OptimizerState { get }
}

extension ParameterizedLayer {
    /// How many numbers training learns in this layer.
    public var learnedCount: Int {
        tensors.filter(\.isLearned).reduce(0) { $0 + $1.values.count }
    }
}

/// A layer that skips its input gradient when it is a network's first, which saliency turns on.
protocol InputGradientSwitch: AnyObject {
    var computesInputGradient: Bool { get set }
}
