// A classifier built from an Architecture: its layers in order, then a fused softmax
// cross-entropy. Forward is a loop over the layers; backward is the same loop reversed
// (Network+Step.swift, where the loops are split across threads by rows).

/// A feed-forward classifier: a sequence of layers described by an `Architecture`, such as the
/// multilayer perceptron `[784, 128, 64, 10]` or the convolutional network
/// `1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10`, ending in a fused softmax cross-entropy.
///
/// Its layers line up one for one with the architecture's modules, and so with the `nn.Sequential`
/// that PyTorch would build: a model file names each tensor by its layer's position.
public final class Network {
    /// What the network is made of.
    public let architecture: Architecture
    /// Every layer in order, one per module of the architecture.
    public let layers: [any Layer]
    /// The layers with tensors, with their positions in `layers`.
    public let parameterizedLayers: [(index: Int, layer: any ParameterizedLayer)]
    /// The Linear layers in order.
    public let linearLayers: [Linear]
    /// The pool that each step's work is split across.
    public let pool: ComputePool
    /// Number of learned parameters (weights, biases, batch norm's scales and shifts).
    public let parameterCount: Int
    private let loss: SoftmaxCrossEntropy
    private let step: Step
    /// The parts the last batch was split into (for tests: whether a step really ran in parallel).
    var partsOfLastBatch: Int { step.parts }

    /// Builds a multilayer perceptron with He-initialised weights drawn from a generator seeded
    /// with `seed`: Linear layers between consecutive sizes, a ReLU after each but the last and,
    /// with `dropout` above 0, a Dropout after each hidden ReLU.
    /// - Throws: `NeuralNetError.invalidLayerSizes` unless there are two or more sizes, all
    ///   positive; `.invalidDropout` unless `0 <= dropout < 1`.
    public convenience init(
        layerSizes: [Int], dropout: Float = 0, seed: UInt64, pool: ComputePool = .serial
    ) throws(NeuralNetError) {
        try self.init(architecture: Self.perceptron(layerSizes, dropout: dropout), seed: seed, pool: pool)
    }

    /// Builds a multilayer perceptron whose parameters are all zero, to be filled in.
    /// - Throws: as `init(layerSizes:dropout:seed:pool:)`.
    public convenience init(layerSizes: [Int], dropout: Float = 0, pool: ComputePool = .serial) throws(NeuralNetError) {
        self.init(architecture: try Self.perceptron(layerSizes, dropout: dropout), pool: pool)
    }

    /// Builds `architecture` with He-initialised weights (batch norm at γ = 1, β = 0), drawn
    /// layer by layer from one generator seeded with `seed`.
    public convenience init(architecture: Architecture, seed: UInt64, pool: ComputePool = .serial) {
        self.init(architecture: architecture, pool: pool)
        var generator = SeededGenerator(seed: seed)
        for layer in layers {
            if let linear = layer as? Linear { linear.initializeHe(using: &generator) }
            if let convolution = layer as? Conv2d { convolution.initializeHe(using: &generator) }
        }
    }

    /// Builds `architecture` with zero weights and biases, to be filled in (as a model loader does).
    public init(architecture: Architecture, pool: ComputePool = .serial) {
        self.architecture = architecture
        self.pool = pool
        var layers: [any Layer] = []
        var shape = architecture.input
        for (index, module) in architecture.modules.enumerated() {
            layers.append(Self.layer(for: module, input: shape, isFirst: index == 0))
            shape = architecture.shapes[index]
        }
        self.layers = layers
        parameterizedLayers = layers.enumerated().compactMap { index, layer in
            (layer as? any ParameterizedLayer).map { (index, $0) }
        }
        linearLayers = layers.compactMap { $0 as? Linear }
        loss = SoftmaxCrossEntropy(classes: architecture.classCount)
        parameterCount = parameterizedLayers.reduce(0) { $0 + $1.layer.learnedCount }
        step = Step(layers: layers, loss: loss, pool: pool)
    }

    /// The layer that computes `module` on samples of shape `input`.
    private static func layer(for module: Architecture.Module, input: ImageShape, isFirst: Bool) -> any Layer {
        switch module {
        case .convolution(let channels, let kernel, let stride, let padding, let bias):
            return Conv2d(input: input, outputChannels: channels, kernel: kernel, stride: stride, padding: padding,
                          bias: bias, computesInputGradient: !isFirst)
        case .maxPool(let size):
            return MaxPool2d(input: input, size: size)
        case .batchNorm:
            return BatchNorm(channels: input.channels, spatial: input.planeSize)
        case .relu:
            return ReLU(size: input.count)
        case .dropout(let probability):
            return Dropout(size: input.count, probability: probability)
        case .flatten:
            return Flatten(size: input.count)
        case .dense(let outputs, let bias):
            return Linear(inputSize: input.count, outputSize: outputs, bias: bias, computesInputGradient: !isFirst)
        }
    }

    /// The architecture of a multilayer perceptron, with the errors of the layer-size initialisers.
    private static func perceptron(_ sizes: [Int], dropout: Float) throws(NeuralNetError) -> Architecture {
        guard (0..<1).contains(dropout) else { throw .invalidDropout(dropout) }
        do {
            return try Architecture(layerSizes: sizes, dropout: dropout)
        } catch {
            throw .invalidLayerSizes(sizes)
        }
    }

    /// The layer sizes of a multilayer perceptron (`[784, 128, 64, 10]`); for another network,
    /// the input size followed by the dense layers' widths.
    public var layerSizes: [Int] {
        architecture.layerSizes ?? [inputSize] + linearLayers.map(\.outputSize)
    }

    /// The layers an optimizer updates, in order.
    var optimizedLayers: [any OptimizedLayer] {
        parameterizedLayers.compactMap { $0.layer as? any OptimizedLayer }
    }

    /// The dropout probability of a multilayer perceptron's hidden layers (0: none).
    public var dropout: Float {
        for case .dropout(let p) in architecture.modules { return p }
        return 0
    }

    /// Features per sample the network takes.
    public var inputSize: Int { architecture.input.count }
    /// Classes the network tells apart.
    public var classCount: Int { architecture.classCount }


    /// The outcome of one training step on one minibatch.
    public struct StepResult: Sendable {
        /// Mean cross-entropy over the minibatch, before the update.
        public var loss: Float
        /// How many samples the network classified correctly, before the update.
        public var correct: Int
    }

    // x: (batch × inputSize) → logits: (batch × classCount)
    /// Runs every layer in order, in inference mode, and returns the logits (valid until the next
    /// forward).
    public func forward(_ x: Matrix) -> Matrix {
        begin(x)
        step.run(.predict)
        return layers.last!.output
    }

    /// Runs the layers in reverse from the loss's gradient, leaving the operands of each layer's
    /// update. Follows `evaluate` on the same batch.
    public func backward() {
        step.run(.backward)
    }

    /// Applies every layer's gradients with plain SGD.
    public func update(learningRate: Float) {
        update(using: .sgd(learningRate: learningRate))
    }

    /// Applies every layer's gradients with `optimizer`, whose state the layers keep between steps.
    public func update(using optimizer: Optimizer) {
        for layer in layers { layer.prepareUpdate(using: optimizer) }
        step.run(.update)
    }

    /// One step of plain minibatch SGD: forward, loss, backward, update.
    /// - Parameters:
    ///   - x: the minibatch, `(batch × inputSize)`.
    ///   - labels: one class index per row of `x`.
    ///   - learningRate: the SGD step size.
    /// - Returns: the loss and the number of correct predictions before the update.
    @discardableResult
    public func trainStep(_ x: Matrix, labels: [Int], learningRate: Float) -> StepResult {
        trainStep(x, labels: labels, optimizer: .sgd(learningRate: learningRate))
    }

    /// One training step with `optimizer`: forward, loss, backward, update.
    /// - Parameters:
    ///   - seed: the step's own seed, from which dropout draws its masks.
    ///   - labelSmoothing: ε in [0, 1): the gradient pulls towards `(1 − ε)·onehot(y) + ε/classes`.
    /// - Returns: the loss (cross-entropy against the labels themselves) and the number of correct
    ///   predictions before the update.
    @discardableResult
    public func trainStep(
        _ x: Matrix, labels: [Int], optimizer: Optimizer, seed: UInt64 = 0, labelSmoothing: Float = 0
    ) -> StepResult {
        begin(x, labels: labels, labelSmoothing: labelSmoothing, mode: .training(seed: seed))
        step.run(.train)
        let result = step.results()
        update(using: optimizer)
        return result
    }


    /// Class probabilities for each row of `x`: `(batch × classCount)`, a fresh matrix.
    public func probabilities(_ x: Matrix) -> Matrix {
        begin(x)
        step.run(.predict)
        return loss.probabilities.copy()
    }

    /// The gradients of every parameterized layer's learned tensors (in the order of its
    /// `tensors`) for the last `backward`, or training step before its update, as new matrices:
    /// for checking gradients.
    public func parameterGradients() -> [[Matrix]] {
        parameterizedLayers.map { index, layer in
            layer.parameterGradients(input: step.inputOfLayer(index), outputGradient: step.outputGradientOfLayer(index))
        }
    }

    /// Forward, loss and backward of one batch without an update, in `mode` (in training mode,
    /// batch norm uses the batch's statistics and dropout drops): the loss and what
    /// `parameterGradients()` then returns. `labelSmoothing` is `trainStep`'s.
    @discardableResult
    public func computeGradients(_ x: Matrix, labels: [Int], mode: ForwardMode, labelSmoothing: Float = 0) -> StepResult {
        begin(x, labels: labels, labelSmoothing: labelSmoothing, mode: mode)
        step.run(.train)
        return step.results()
    }

    /// The loss and correct count on a batch in `mode` (inference: without changing the network),
    /// without a backward pass.
    public func evaluate(_ x: Matrix, labels: [Int], mode: ForwardMode = .inference) -> StepResult {
        begin(x, labels: labels, mode: mode)
        step.run(.evaluate)
        return step.results()
    }

    /// dL/dx of the sample of the last inference forward for L = its logit `classIndex`: the
    /// layers' backward from a one-hot gradient, the first layer computing its input gradient too.
    func inputGradient(ofLogit classIndex: Int) -> [Float] {
        let gradient = loss.probabilities
        gradient.fill(0)
        gradient[0, classIndex] = 1
        let first = layers[0] as? any InputGradientSwitch
        first?.computesInputGradient = true
        defer { first?.computesInputGradient = false }
        layers[0].prepare(batchSize: 1, parts: step.parts)
        step.run(.saliency)
        return layers[0].inputGradient!.row(0)
    }

    private func begin(_ x: Matrix, labels: [Int]? = nil, labelSmoothing: Float = 0, mode: ForwardMode = .inference) {
        precondition(x.columns == inputSize, "the network takes \(inputSize) features, got \(x.columns)")
        step.begin(x, labels: labels, labelSmoothing: labelSmoothing, mode: mode)
    }
}
