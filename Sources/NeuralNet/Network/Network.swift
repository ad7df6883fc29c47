// A multilayer perceptron built from a list of layer sizes: Linear, ReLU, …, Linear, then a fused
// softmax cross-entropy. Forward is a loop over the layers; backward is the same loop reversed
// (Network+Step.swift, where the loops are split across threads by rows).

/// A feed-forward classifier built from layer sizes such as `[784, 128, 64, 10]`.
///
/// Between consecutive sizes sits a `Linear` layer; a `ReLU` follows every `Linear` but the last,
/// whose outputs (the logits) go to `SoftmaxCrossEntropy`. With a dropout probability, a `Dropout`
/// follows every hidden `ReLU`.
public final class Network {
    /// The sizes the network was built from: inputs first, classes last.
    public let layerSizes: [Int]
    /// The probability with which each hidden `Dropout` drops a feature while training (0: none).
    public let dropout: Float
    /// Every layer in order: Linear, ReLU, (Dropout,) …, Linear.
    public let layers: [any Layer]
    /// The Linear layers in order: the network's parameters.
    public let linearLayers: [Linear]
    /// The pool that each step's work is split across.
    public let pool: ComputePool
    /// Number of trainable parameters (weights and biases).
    public let parameterCount: Int
    private let loss: SoftmaxCrossEntropy
    private let step: Step

    /// Builds a network with He-initialised weights drawn from a generator seeded with `seed`.
    /// - Throws: `NeuralNetError.invalidLayerSizes` unless there are two or more sizes, all
    ///   positive; `.invalidDropout` unless `0 <= dropout < 1`.
    public convenience init(
        layerSizes: [Int], dropout: Float = 0, seed: UInt64, pool: ComputePool = .serial
    ) throws(NeuralNetError) {
        try self.init(layerSizes: layerSizes, dropout: dropout, pool: pool)
        var generator = SeededGenerator(seed: seed)
        for layer in linearLayers {
            layer.initializeHe(using: &generator)
        }
    }

    /// Builds a network whose parameters are all zero, to be filled in (as a model loader does).
    /// - Throws: `NeuralNetError.invalidLayerSizes` unless there are two or more sizes, all
    ///   positive; `.invalidDropout` unless `0 <= dropout < 1`.
    public init(layerSizes: [Int], dropout: Float = 0, pool: ComputePool = .serial) throws(NeuralNetError) {
        guard layerSizes.count >= 2, layerSizes.allSatisfy({ $0 > 0 }) else {
            throw .invalidLayerSizes(layerSizes)
        }
        guard (0..<1).contains(dropout) else { throw .invalidDropout(dropout) }
        self.layerSizes = layerSizes
        self.dropout = dropout
        self.pool = pool
        var layers: [any Layer] = []
        var linearLayers: [Linear] = []
        for index in 0..<(layerSizes.count - 1) {
            let (inputs, outputs) = (layerSizes[index], layerSizes[index + 1])
            let linear = Linear(inputSize: inputs, outputSize: outputs, computesInputGradient: index > 0)
            linearLayers.append(linear)
            layers.append(linear)
            let isHidden = index < layerSizes.count - 2
            if isHidden { layers.append(ReLU(size: outputs)) }
            if isHidden && dropout > 0 { layers.append(Dropout(size: outputs, probability: dropout)) }
        }
        self.layers = layers
        self.linearLayers = linearLayers
        loss = SoftmaxCrossEntropy(classes: layerSizes.last!)
        parameterCount = linearLayers.reduce(0) { $0 + $1.weight.count + $1.bias.count }
        step = Step(layers: layers, loss: loss, pool: pool, workPerSample: parameterCount)
    }

    /// Features per sample the network takes.
    public var inputSize: Int { layerSizes.first! }
    /// Classes the network tells apart.
    public var classCount: Int { layerSizes.last! }


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
    /// - Parameter seed: the step's own seed, from which dropout draws its masks.
    /// - Returns: the loss and the number of correct predictions before the update.
    @discardableResult
    public func trainStep(_ x: Matrix, labels: [Int], optimizer: Optimizer, seed: UInt64 = 0) -> StepResult {
        begin(x, labels: labels, mode: .training(seed: seed))
        step.run(.train)
        let result = step.results()
        update(using: optimizer)
        return result
    }

    /// The loss and correct count on a batch, in inference mode, without changing the network.
    public func evaluate(_ x: Matrix, labels: [Int]) -> StepResult {
        begin(x, labels: labels)
        step.run(.evaluate)
        return step.results()
    }

    /// Class probabilities for each row of `x`: `(batch × classCount)`, a fresh matrix.
    public func probabilities(_ x: Matrix) -> Matrix {
        begin(x)
        step.run(.predict)
        return loss.probabilities.copy()
    }

    /// The weight and bias gradients of every Linear layer for the last `backward` (or training
    /// step before its update), as new matrices: for checking gradients.
    public func parameterGradients() -> [(weight: Matrix, bias: Matrix)] {
        layers.indices.compactMap { index in
            guard let linear = layers[index] as? Linear else { return nil }
            let (x, dz) = (step.inputOfLayer(index), step.outputGradientOfLayer(index))
            return (linear.weightGradient(input: x, outputGradient: dz), linear.biasGradient(outputGradient: dz))
        }
    }

    private func begin(_ x: Matrix, labels: [Int]? = nil, mode: ForwardMode = .inference) {
        precondition(x.columns == inputSize, "the network takes \(inputSize) features, got \(x.columns)")
        step.begin(x, labels: labels, mode: mode)
    }
}
