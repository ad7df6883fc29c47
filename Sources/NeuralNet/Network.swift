// A multilayer perceptron built from a list of layer sizes: Linear, ReLU, …, Linear, then a fused
// softmax cross-entropy. Forward is a loop over the layers; backward is the same loop reversed.

/// A feed-forward classifier built from layer sizes such as `[784, 128, 64, 10]`.
///
/// Between consecutive sizes sits a `Linear` layer; a `ReLU` follows every `Linear` but the last,
/// whose outputs (the logits) go to `SoftmaxCrossEntropy`.
public final class Network {
    /// The sizes the network was built from: inputs first, classes last.
    public let layerSizes: [Int]
    /// Every layer in order: Linear, ReLU, …, Linear.
    public let layers: [any Layer]
    /// The Linear layers in order: the network's parameters.
    public let linearLayers: [Linear]
    /// The pool that matrix products are split across.
    public let pool: ComputePool
    private let loss: SoftmaxCrossEntropy

    /// Builds a network with He-initialised weights drawn from a generator seeded with `seed`.
    /// - Throws: `NeuralNetError.invalidLayerSizes` unless there are two or more sizes, all positive.
    public convenience init(layerSizes: [Int], seed: UInt64, pool: ComputePool = .serial) throws(NeuralNetError) {
        try self.init(layerSizes: layerSizes, pool: pool)
        var generator = SeededGenerator(seed: seed)
        for layer in linearLayers {
            layer.initializeHe(using: &generator)
        }
    }

    /// Builds a network whose parameters are all zero, to be filled in (as a model loader does).
    /// - Throws: `NeuralNetError.invalidLayerSizes` unless there are two or more sizes, all positive.
    public init(layerSizes: [Int], pool: ComputePool = .serial) throws(NeuralNetError) {
        guard layerSizes.count >= 2, layerSizes.allSatisfy({ $0 > 0 }) else {
            throw .invalidLayerSizes(layerSizes)
        }
        self.layerSizes = layerSizes
        self.pool = pool
        var layers: [any Layer] = []
        var linearLayers: [Linear] = []
        for index in 0..<(layerSizes.count - 1) {
            let linear = Linear(
                inputSize: layerSizes[index], outputSize: layerSizes[index + 1],
                computesInputGradient: index > 0, pool: pool)
            linearLayers.append(linear)
            layers.append(linear)
            if index < layerSizes.count - 2 {
                layers.append(ReLU(size: layerSizes[index + 1]))
            }
        }
        self.layers = layers
        self.linearLayers = linearLayers
        loss = SoftmaxCrossEntropy(classes: layerSizes.last!)
    }

    /// Features per sample the network takes.
    public var inputSize: Int { layerSizes.first! }
    /// Classes the network tells apart.
    public var classCount: Int { layerSizes.last! }
    /// Number of trainable parameters (weights and biases).
    public var parameterCount: Int { linearLayers.reduce(0) { $0 + $1.weight.count + $1.bias.count } }

    // x: (batch × inputSize) → logits: (batch × classCount)
    /// Runs every layer in order and returns the logits (valid until the next forward).
    public func forward(_ x: Matrix) -> Matrix {
        var activation = x
        for layer in layers {
            activation = layer.forward(activation)
        }
        return activation
    }

    /// Runs the layers in reverse from the loss's gradient, leaving each layer's parameter gradients.
    public func backward() {
        var gradient: Matrix? = loss.backward()
        for layer in layers.reversed() {
            guard let incoming = gradient else { break }
            gradient = layer.backward(incoming)
        }
    }

    /// Applies every layer's gradients with plain SGD.
    public func update(learningRate: Float) {
        for layer in layers {
            layer.update(learningRate: learningRate)
        }
    }

    /// The outcome of one training step on one minibatch.
    public struct StepResult: Sendable {
        /// Mean cross-entropy over the minibatch, before the update.
        public var loss: Float
        /// How many samples the network classified correctly, before the update.
        public var correct: Int
    }

    /// One step of minibatch SGD: forward, loss, backward, update.
    /// - Parameters:
    ///   - x: the minibatch, `(batch × inputSize)`.
    ///   - labels: one class index per row of `x`.
    ///   - learningRate: the SGD step size.
    /// - Returns: the loss and the number of correct predictions before the update.
    @discardableResult
    public func trainStep(_ x: Matrix, labels: [Int], learningRate: Float) -> StepResult {
        let logits = forward(x)
        let (lossValue, correct) = loss.forward(logits, labels: labels)
        backward()
        update(learningRate: learningRate)
        return StepResult(loss: lossValue, correct: correct)
    }

    /// The loss and correct count on a batch, without changing the network.
    public func evaluate(_ x: Matrix, labels: [Int]) -> StepResult {
        let (lossValue, correct) = loss.forward(forward(x), labels: labels)
        return StepResult(loss: lossValue, correct: correct)
    }

    /// Class probabilities for each row of `x`: `(batch × classCount)`, a fresh matrix.
    public func probabilities(_ x: Matrix) -> Matrix {
        loss.softmax(forward(x))
        return loss.probabilities.copy()
    }
}
