// A multilayer perceptron built from a list of layer sizes: Linear, ReLU, …, Linear, then a fused
// softmax cross-entropy. Forward is a loop over the layers; backward is the same loop reversed.
//
// With a pool of several threads, each thread runs those loops over its own rows of the batch
// (see RowParallelLayer.swift), and the weight updates are then split by columns: a training step
// is two parallel regions.

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
    /// The pool that each step's work is split across.
    public let pool: ComputePool
    private let loss: SoftmaxCrossEntropy
    /// `layers`, as the row-parallel layers they are.
    private let rowLayers: [any RowParallelLayer]

    /// What `run(part:of:)` does for the current call, and its operands.
    private var phase = Phase.forward
    private var batchInput: Matrix?
    /// Each part's loss sum and correct count, added up in part order so results are reproducible.
    private let partLoss: UnsafeMutableBufferPointer<Double>
    private let partCorrect: UnsafeMutableBufferPointer<Int>

    private enum Phase { case forward, softmax, loss, backward, trainForwardBackward, update }

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
        var layers: [any RowParallelLayer] = []
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
        rowLayers = layers
        self.linearLayers = linearLayers
        loss = SoftmaxCrossEntropy(classes: layerSizes.last!)
        partLoss = .allocate(capacity: pool.threadCount)
        partLoss.initialize(repeating: 0)
        partCorrect = .allocate(capacity: pool.threadCount)
        partCorrect.initialize(repeating: 0)
    }

    deinit {
        partLoss.deallocate()
        partCorrect.deallocate()
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
        prepare(x)
        run(.forward)
        return rowLayers.last!.outputBuffer
    }

    /// Runs the layers in reverse from the loss's gradient, leaving each layer's parameter gradients.
    /// Follows `evaluate` (or `trainStep`'s own forward) on the same batch.
    public func backward() {
        run(.backward)
    }

    /// Applies every layer's gradients with plain SGD.
    public func update(learningRate: Float) {
        update(using: .sgd(learningRate: learningRate))
    }

    /// Applies every layer's gradients with `optimizer`, whose state the layers keep between steps.
    public func update(using optimizer: Optimizer) {
        for linear in linearLayers { linear.prepare(optimizer: optimizer) }
        run(.update)
    }

    /// The outcome of one training step on one minibatch.
    public struct StepResult: Sendable {
        /// Mean cross-entropy over the minibatch, before the update.
        public var loss: Float
        /// How many samples the network classified correctly, before the update.
        public var correct: Int
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
    /// - Returns: the loss and the number of correct predictions before the update.
    @discardableResult
    public func trainStep(_ x: Matrix, labels: [Int], optimizer: Optimizer) -> StepResult {
        prepare(x, labels: labels)
        run(.trainForwardBackward)
        let result = partResults(rows: x.rows)
        update(using: optimizer)
        return result
    }

    /// The loss and correct count on a batch, without changing the network.
    public func evaluate(_ x: Matrix, labels: [Int]) -> StepResult {
        prepare(x, labels: labels)
        run(.loss)
        return partResults(rows: x.rows)
    }

    /// Class probabilities for each row of `x`: `(batch × classCount)`, a fresh matrix.
    public func probabilities(_ x: Matrix) -> Matrix {
        prepare(x)
        loss.probabilities.resize(rows: x.rows)
        run(.softmax)
        return loss.probabilities.copy()
    }

    /// Sizes every buffer for `x`'s batch and tells each Linear layer which matrices its update
    /// will read.
    private func prepare(_ x: Matrix, labels: [Int]? = nil) {
        precondition(x.columns == inputSize, "the network takes \(inputSize) features, got \(x.columns)")
        batchInput = x
        for layer in rowLayers { layer.prepare(batchSize: x.rows) }
        if let labels {
            precondition(labels.count == x.rows, "\(labels.count) labels for \(x.rows) rows")
            loss.prepare(labels: labels)
        }
        for (index, layer) in rowLayers.enumerated() {
            guard let linear = layer as? Linear else { continue }
            let input = index == 0 ? x : rowLayers[index - 1].outputBuffer
            let outputGradient = index == rowLayers.count - 1
                ? loss.probabilities : rowLayers[index + 1].inputGradientBuffer
            linear.bind(input: input, outputGradient: outputGradient)
        }
    }

    private func run(_ phase: Phase) {
        self.phase = phase
        let batch = batchInput?.rows ?? 0
        pool.run(self, work: batch * parameterCount)
    }

    private func partResults(rows: Int) -> StepResult {
        var total = 0.0, correct = 0
        for part in 0..<pool.threadCount {
            total += partLoss[part]
            correct += partCorrect[part]
            partLoss[part] = 0
            partCorrect[part] = 0
        }
        return StepResult(loss: Float(total / Double(max(rows, 1))), correct: correct)
    }
}

extension Network: ParallelTask {
    /// Part `part` of the current phase: the layers' loops over this part's rows, or this part's
    /// columns of every weight update.
    public func run(part: Int, of parts: Int) {
        guard let x = batchInput else { return }
        if phase == .update {
            for linear in linearLayers { linear.update(part: part, of: parts) }
            return
        }
        let rows = share(of: x.rows, part: part, parts: parts)
        if phase != .backward {
            var activation = x
            for layer in rowLayers {
                layer.forward(activation, rows: rows)
                activation = layer.outputBuffer
            }
            switch phase {
            case .softmax:
                loss.softmax(activation, rows: rows)
            case .loss, .trainForwardBackward:
                let (lossSum, correct) = loss.forward(activation, rows: rows)
                partLoss[part] = lossSum
                partCorrect[part] = correct
            default:
                break
            }
        }
        if phase == .backward || phase == .trainForwardBackward {
            loss.backward(rows: rows)
            var gradient = loss.probabilities
            for layer in rowLayers.reversed() {
                layer.backward(gradient, rows: rows)
                guard let next = layer.inputGradientBuffer else { break }
                gradient = next
            }
        }
    }
}
