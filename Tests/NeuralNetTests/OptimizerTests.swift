// The update rules: their formulas on hand-computed cases, and each one driving a real layer.

@testable import NeuralNet
import Testing

@Suite struct OptimizerTests {
    /// θ after `steps` applications of `optimizer` with the same gradient `g`, starting from 0.
    static func parameterAfter(
        _ steps: Int, of optimizer: Optimizer, gradient g: Float, from start: Float = 0, decays: Bool = true
    ) -> Float {
        var theta: Float = start, gradient = g, first: Float = 0, second: Float = 0
        for step in 1...steps {
            optimizer.apply(to: &theta, gradient: &gradient, count: 1, first: &first, second: &second, step: step, decays: decays)
        }
        return theta
    }

    @Test func sgdWeightDecayAddsLambdaTheta() {
        // θ = 1, g = 0.5, λ = 0.1, η = 0.1: θ ← 1 − 0.1 · (0.5 + 0.1) = 0.94.
        let optimizer = Optimizer.sgd(learningRate: 0.1, weightDecay: 0.1)
        #expect(abs(Self.parameterAfter(1, of: optimizer, gradient: 0.5, from: 1) - 0.94) < 1e-6)
        // Biases are not decayed.
        #expect(abs(Self.parameterAfter(1, of: optimizer, gradient: 0.5, from: 1, decays: false) - 0.95) < 1e-6)
    }

    @Test func nesterovLooksAheadAlongTheVelocity() {
        // μ = 0.5, η = 0.1, g = 1: v₁ = 1, θ₁ = −0.1 · (1 + 0.5) = −0.15; v₂ = 1.5,
        // θ₂ = −0.15 − 0.1 · (1 + 0.75) = −0.325.
        let optimizer = Optimizer.nesterov(learningRate: 0.1, momentum: 0.5)
        #expect(abs(Self.parameterAfter(1, of: optimizer, gradient: 1) - -0.15) < 1e-6)
        #expect(abs(Self.parameterAfter(2, of: optimizer, gradient: 1) - -0.325) < 1e-6)
    }

    @Test func adamWDecaysTheWeightBeforeTheAdamStep() {
        // θ = 2, η = 0.01, λ = 0.5: θ ← 2 · (1 − 0.005) = 1.99, then Adam's first step moves it by
        // η against the gradient's sign: 1.98.
        let optimizer = Optimizer.adamW(learningRate: 0.01, weightDecay: 0.5)
        #expect(abs(Self.parameterAfter(1, of: optimizer, gradient: 3, from: 2) - 1.98) < 1e-5)
        #expect(abs(Self.parameterAfter(1, of: optimizer, gradient: 3, from: 2, decays: false) - 1.99) < 1e-5)
        // Without decay AdamW is Adam.
        let plain = Self.parameterAfter(3, of: .adam(learningRate: 0.01), gradient: 0.7, from: 1)
        #expect(Self.parameterAfter(3, of: .adamW(learningRate: 0.01, weightDecay: 0), gradient: 0.7, from: 1) == plain)
    }

    @Test func sgdWeightDecayInTheFusedLayerUpdateMatchesTheFormula() {
        // W = [1, 2], x = [[1, 1]], dz = [[1]]: dW = [1, 1]; η = 0.1, λ = 0.5:
        // W ← W · (1 − 0.05) − 0.1 · dW = [0.85, 1.8]; b ← 0 − 0.1 · 1 (no decay).
        let layer = Linear(inputSize: 2, outputSize: 1)
        _ = layer.weight.storage.update(fromContentsOf: [1, 2] as [Float])
        let x = Matrix([[1, 1]]), dz = Matrix([[1]])
        layer.update(input: x, outputGradient: dz, using: .sgd(learningRate: 0.1, weightDecay: 0.5))
        #expect(zip(layer.weight.elements, [0.85, 1.8] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(abs(layer.bias.elements[0] - -0.1) < 1e-6)
    }

    @Test func sgdStepsAgainstTheGradient() {
        #expect(Self.parameterAfter(1, of: .sgd(learningRate: 0.1), gradient: 2) == -0.2)
        #expect(abs(Self.parameterAfter(3, of: .sgd(learningRate: 0.1), gradient: 2) - -0.6) < 1e-6)
    }

    @Test func momentumAccumulatesVelocity() {
        // v: 1, 1.5, 1.75; θ: −0.1, −0.25, −0.425.
        let optimizer = Optimizer.momentum(learningRate: 0.1, momentum: 0.5)
        #expect(abs(Self.parameterAfter(1, of: optimizer, gradient: 1) - -0.1) < 1e-6)
        #expect(abs(Self.parameterAfter(2, of: optimizer, gradient: 1) - -0.25) < 1e-6)
        #expect(abs(Self.parameterAfter(3, of: optimizer, gradient: 1) - -0.425) < 1e-6)
    }

    @Test(arguments: [3.0, -0.002, 250] as [Float])
    func adamMovesByTheLearningRateWhateverTheGradientsScale(gradient: Float) {
        // With bias correction m̂ = g and v̂ = g² at every step of a constant gradient, so each step
        // is η·g / (|g| + ε): the learning rate, against the gradient's sign.
        let optimizer = Optimizer.adam(learningRate: 0.01)
        let expected = -0.01 * Float(gradient.sign == .minus ? -1 : 1)
        #expect(abs(Self.parameterAfter(1, of: optimizer, gradient: gradient) - expected) < 1e-5)
        #expect(abs(Self.parameterAfter(4, of: optimizer, gradient: gradient) - 4 * expected) < 1e-4)
    }

    @Test func momentumWithoutMomentumIsSGDOnARealLayer() throws {
        let sgd = try Self.trainedLayer(with: .sgd(learningRate: 0.05))
        let momentum = try Self.trainedLayer(with: .momentum(learningRate: 0.05, momentum: 0))
        for (a, b) in zip(sgd.weight.elements + sgd.bias.elements, momentum.weight.elements + momentum.bias.elements) {
            #expect(abs(a - b) < 1e-5)
        }
    }

    @Test func adamsFirstStepMovesEveryWeightByTheLearningRate() {
        var generator = SeededGenerator(seed: 3)
        let layer = Linear(inputSize: 5, outputSize: 4)
        layer.initializeHe(using: &generator)
        let before = layer.weight.elements
        let x = GradientCheck.randomMatrix(rows: 6, columns: 5, using: &generator)
        let dz = GradientCheck.randomMatrix(rows: 6, columns: 4, using: &generator)
        _ = layer.forward(x)
        _ = layer.backward(dz, input: x)
        let gradient = layer.weightGradient(input: x, outputGradient: dz).elements
        layer.update(input: x, outputGradient: dz, using: .adam(learningRate: 0.01))
        for (index, (old, new)) in zip(before, layer.weight.elements).enumerated() {
            let expected = old - 0.01 * (gradient[index] > 0 ? 1 : -1)
            #expect(abs(new - expected) < 1e-4, "weight \(index)")
        }
    }

    @Test(arguments: [Optimizer.momentum(learningRate: 0.05, momentum: 0.9), .adam(learningRate: 0.01)])
    func everyOptimizerLearnsTheEdgeDataset(optimizer: Optimizer) throws {
        let network = try Network(layerSizes: [25, 8, 2], seed: 4)
        let training = edgeLikeDataset(count: 400, seed: 5), test = edgeLikeDataset(count: 100, seed: 6)
        let options = TrainingOptions(epochs: 10, batchSize: 16, optimizer: optimizer, shuffleSeed: 7)
        let history = try network.train(on: training, testingOn: test, options: options)
        #expect(history.last!.test.accuracy > 0.95)
        #expect(history.last!.train.loss < history.first!.train.loss)
    }

    /// A three-step training of a small layer on a fixed batch with `optimizer`.
    static func trainedLayer(with optimizer: Optimizer) throws -> Linear {
        var generator = SeededGenerator(seed: 12)
        let layer = Linear(inputSize: 7, outputSize: 3)
        layer.initializeHe(using: &generator)
        let x = GradientCheck.randomMatrix(rows: 5, columns: 7, using: &generator)
        let dz = GradientCheck.randomMatrix(rows: 5, columns: 3, using: &generator)
        for _ in 0..<3 {
            _ = layer.forward(x)
            _ = layer.backward(dz, input: x)
            layer.update(input: x, outputGradient: dz, using: optimizer)
        }
        return layer
    }
}

/// Two linearly separable classes of 25 features: the brighter right half, or the brighter left.
private func edgeLikeDataset(count: Int, seed: UInt64) -> Dataset {
    var generator = SeededGenerator(seed: seed)
    var features: [Float] = []
    var labels: [Int] = []
    for index in 0..<count {
        let label = index % 2
        for column in 0..<25 {
            let bright = (column % 5 >= 2) == (label == 1)
            features.append((bright ? 0.8 : 0.2) + 0.1 * generator.nextUnitFloat())
        }
        labels.append(label)
    }
    return Dataset(features: .floats(features), labels: labels, featureCount: 25, classCount: 2)
}
