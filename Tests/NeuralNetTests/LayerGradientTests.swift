// Every layer's backward against finite differences of its forward, and of a whole network.

import Foundation
import NeuralNet
import Testing

/// The shape of one gradient check: a batch through a layer of `inputs` → `outputs` features.
struct LayerShape: Sendable, CustomTestStringConvertible {
    var batch: Int
    var inputs: Int
    var outputs: Int
    var testDescription: String { "batch \(batch), \(inputs)→\(outputs)" }
}

@Suite struct LinearGradientTests {
    static let shapes = [
        LayerShape(batch: 1, inputs: 1, outputs: 1),
        LayerShape(batch: 3, inputs: 5, outputs: 4),
        LayerShape(batch: 8, inputs: 7, outputs: 3),
        LayerShape(batch: 2, inputs: 3, outputs: 9),
    ]

    @Test(arguments: shapes)
    func weightBiasAndInputGradientsMatchFiniteDifferences(shape: LayerShape) {
        var generator = SeededGenerator(seed: 11)
        let layer = Linear(inputSize: shape.inputs, outputSize: shape.outputs)
        layer.initializeHe(using: &generator)
        for i in 0..<layer.bias.count { layer.bias.storage[i] = generator.nextUnitFloat() - 0.5 }
        let x = GradientCheck.randomMatrix(rows: shape.batch, columns: shape.inputs, using: &generator)
        // L = Σ r ⊙ z, so dL/dz = r.
        let r = GradientCheck.randomMatrix(rows: shape.batch, columns: shape.outputs, using: &generator)
        _ = layer.forward(x)
        let dx = layer.backward(r, input: x)?.elements ?? []
        let dW = layer.weightGradient(input: x, outputGradient: r).elements
        let db = layer.biasGradient(outputGradient: r).elements
        let loss = { GradientCheck.weightedSum(layer.forward(x), by: r) }

        GradientCheck.expectClose(dW, GradientCheck.numericalGradient(of: layer.weight, loss: loss), "dW")
        GradientCheck.expectClose(db, GradientCheck.numericalGradient(of: layer.bias, loss: loss), "db")
        GradientCheck.expectClose(dx, GradientCheck.numericalGradient(of: x, loss: loss), "dx")
    }

    @Test func forwardComputesXTimesWTransposedPlusBias() {
        let layer = Linear(inputSize: 3, outputSize: 2)
        _ = layer.weight.storage.update(fromContentsOf: [1, 2, 3, -1, 0, 1] as [Float])  // 2 × 3
        _ = layer.bias.storage.update(fromContentsOf: [0.5, -0.5] as [Float])
        let z = layer.forward(Matrix([[1, 1, 1], [2, 0, -1]]))
        #expect(z == Matrix([[6.5, -0.5], [-0.5, -3.5]]))
    }

    @Test func heInitialisationHasVarianceTwoOverFanIn() {
        var generator = SeededGenerator(seed: 3)
        let layer = Linear(inputSize: 200, outputSize: 100)
        layer.initializeHe(using: &generator)
        let values = layer.weight.elements.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        #expect(abs(mean) < 0.005)
        #expect(abs(variance / (2.0 / 200) - 1) < 0.05)
        #expect(layer.bias.elements.allSatisfy { $0 == 0 })
    }

    @Test func firstLayerComputesNoInputGradient() {
        let layer = Linear(inputSize: 4, outputSize: 2, computesInputGradient: false)
        var generator = SeededGenerator(seed: 5)
        layer.initializeHe(using: &generator)
        let x = GradientCheck.randomMatrix(rows: 3, columns: 4, using: &generator)
        _ = layer.forward(x)
        #expect(layer.backward(Matrix(rows: 3, columns: 2), input: x) == nil)
        let network = try! Network(layerSizes: [4, 3, 2], seed: 1)
        #expect(network.linearLayers.map(\.computesInputGradient) == [false, true])
    }

    @Test func updateSubtractsLearningRateTimesGradient() {
        let layer = Linear(inputSize: 2, outputSize: 1)
        _ = layer.weight.storage.update(fromContentsOf: [1, 1] as [Float])
        let x = Matrix([[2, 3]]), dz = Matrix([[1]])
        _ = layer.forward(x)
        _ = layer.backward(dz, input: x)
        #expect(layer.weightGradient(input: x, outputGradient: dz).elements == [2, 3])
        #expect(layer.biasGradient(outputGradient: dz).elements == [1])
        layer.update(input: x, outputGradient: dz, using: .sgd(learningRate: 0.5))
        #expect(layer.weight.elements == [0, -0.5])
        #expect(layer.bias.elements == [-0.5])
    }
}

@Suite struct ReLUGradientTests {
    @Test func inputGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 21)
        // Keep every input at least 0.1 from the kink, far beyond the finite-difference step.
        let elements: [Float] = (0..<24).map { _ in
            let magnitude = 0.1 + 0.9 * generator.nextUnitFloat()
            return generator.nextInt(below: 2) == 0 ? magnitude : -magnitude
        }
        let x = Matrix(rows: 4, columns: 6, elements: elements)
        let r = GradientCheck.randomMatrix(rows: 4, columns: 6, using: &generator)
        let relu = ReLU(size: 6)
        _ = relu.forward(x)
        let dx = relu.backward(r, input: x)!.elements
        let numeric = GradientCheck.numericalGradient(of: x) { GradientCheck.weightedSum(relu.forward(x), by: r) }
        GradientCheck.expectClose(dx, numeric, "dx")
    }

    @Test func forwardClampsAndBackwardMasksAtZero() {
        let relu = ReLU(size: 4)
        let x = Matrix([[-2, 0, 0.5, 3]])
        #expect(relu.forward(x) == Matrix([[0, 0, 0.5, 3]]))
        // The gradient at exactly zero is taken as 0 (the output is not positive there).
        #expect(relu.backward(Matrix([[1, 1, 1, 1]]), input: x) == Matrix([[0, 0, 1, 1]]))
    }
}

/// Logits for one row and the label they are scored against.
struct LossCase: Sendable, CustomTestStringConvertible {
    var logits: [Float]
    var label: Int
    var expectedLoss: Double
    var testDescription: String { "logits \(logits), label \(label)" }
}

@Suite struct SoftmaxCrossEntropyTests {
    static let knownValues = [
        LossCase(logits: [0, 0, 0], label: 0, expectedLoss: log(3)),
        LossCase(logits: [1, 2, 3], label: 2, expectedLoss: log(exp(1) + exp(2) + exp(3)) - 3),
        LossCase(logits: [1, 2, 3], label: 0, expectedLoss: log(exp(1) + exp(2) + exp(3)) - 1),
        LossCase(logits: [-5, 5], label: 1, expectedLoss: log(1 + exp(-10))),
        // Huge logits: a naive exp overflows to infinity and gives NaN.
        LossCase(logits: [1000, 1000], label: 0, expectedLoss: log(2)),
        LossCase(logits: [1e30, 0, -1e30], label: 0, expectedLoss: 0),
        LossCase(logits: [-1e30, 0, -1e30], label: 1, expectedLoss: 0),
        LossCase(logits: [-1000, -1000, -1000, -1000], label: 3, expectedLoss: log(4)),
        // Underflowing probability: the loss is still exact, not log(0).
        LossCase(logits: [0, 200], label: 0, expectedLoss: 200),
    ]

    @Test(arguments: knownValues)
    func lossOnKnownValues(testCase: LossCase) {
        let loss = SoftmaxCrossEntropy(classes: testCase.logits.count)
        let result = loss.forward(Matrix([testCase.logits]), labels: [testCase.label])
        #expect(result.loss.isFinite)
        #expect(abs(Double(result.loss) - testCase.expectedLoss) <= 1e-5 * max(1, testCase.expectedLoss))
        let probabilities = loss.probabilities.elements
        #expect(probabilities.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
        let gradient = loss.backward().elements
        #expect(gradient.allSatisfy { $0.isFinite })
    }

    @Test func gradientIsProbabilitiesMinusOneHotOverBatch() {
        var generator = SeededGenerator(seed: 31)
        let logits = GradientCheck.randomMatrix(rows: 5, columns: 4, in: -3...3, using: &generator)
        let labels = [0, 3, 1, 1, 2]
        let loss = SoftmaxCrossEntropy(classes: 4)
        _ = loss.forward(logits, labels: labels)
        let gradient = loss.backward().elements
        for row in 0..<5 {
            let z = logits.row(row).map(Double.init)
            let sum = z.reduce(0) { $0 + exp($1) }
            for c in 0..<4 {
                let expected = (exp(z[c]) / sum - (c == labels[row] ? 1 : 0)) / 5
                #expect(abs(Double(gradient[row * 4 + c]) - expected) < 1e-6)
            }
        }
    }

    @Test func gradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 32)
        let logits = GradientCheck.randomMatrix(rows: 3, columns: 5, in: -2...2, using: &generator)
        let labels = [4, 0, 2]
        let loss = SoftmaxCrossEntropy(classes: 5)
        _ = loss.forward(logits, labels: labels)
        let analytic = loss.backward().elements
        let numeric = GradientCheck.numericalGradient(of: logits) {
            Double(loss.forward(logits, labels: labels).loss)
        }
        GradientCheck.expectClose(analytic, numeric, "dlogits")
    }

    /// With label smoothing ε the gradient is that of −Σ t·log p for t = (1 − ε)·onehot + ε/classes,
    /// PyTorch's `cross_entropy(label_smoothing: ε)`, checked against finite differences of that
    /// loss computed here in Double; the loss returned stays the plain cross-entropy.
    @Test(arguments: [Float(0.1), 0.3])
    func smoothedGradientMatchesFiniteDifferencesOfTheSmoothedLoss(epsilon: Float) {
        var generator = SeededGenerator(seed: 33)
        let logits = GradientCheck.randomMatrix(rows: 3, columns: 5, in: -2...2, using: &generator)
        let labels = [4, 0, 2]
        let loss = SoftmaxCrossEntropy(classes: 5)
        let plain = loss.forward(logits, labels: labels).loss
        #expect(loss.forward(logits, labels: labels, smoothing: epsilon).loss == plain)
        let analytic = loss.backward().elements
        func smoothedLoss() -> Double {
            var total = 0.0
            for row in 0..<3 {
                let z = logits.row(row).map(Double.init)
                let logSum = log(z.reduce(0) { $0 + exp($1) })
                for c in 0..<5 {
                    let target = (c == labels[row] ? 1 - Double(epsilon) : 0) + Double(epsilon) / 5
                    total -= target * (z[c] - logSum)
                }
            }
            return total / 3
        }
        let numeric = GradientCheck.numericalGradient(of: logits, loss: smoothedLoss)
        GradientCheck.expectClose(analytic, numeric, "dlogits, ε \(epsilon)")
        // Not the unsmoothed gradient: the smoothing reached it.
        _ = loss.forward(logits, labels: labels)
        let unsmoothed = loss.backward().elements
        #expect(zip(analytic, unsmoothed).contains { abs($0 - $1) > 1e-3 })
    }

    /// A label outside the classes would index past the probabilities; it must stop the process.
    @Test(arguments: [-1, 3])
    func labelOutsideTheClassesIsAProgrammerError(label: Int) async {
        await #expect(processExitsWith: .failure) { [label] in
            _ = SoftmaxCrossEntropy(classes: 3).forward(Matrix([[0, 0, 0]]), labels: [label])
        }
    }

    @Test func countsRowsWhoseLargestLogitIsTheLabel() {
        let loss = SoftmaxCrossEntropy(classes: 3)
        let logits = Matrix([[3, 1, 2], [0, 5, 1], [1, 1, 4]])
        #expect(loss.forward(logits, labels: [0, 1, 2]).correct == 3)
        #expect(loss.forward(logits, labels: [1, 1, 0]).correct == 1)
    }
}

@Suite struct NetworkGradientTests {
    /// A [6, 5, 4, 3] network with small random biases and a batch of 4 inputs in −1…1.
    static func fixture(seed: UInt64) throws -> (network: Network, x: Matrix, labels: [Int]) {
        let network = try Network(layerSizes: [6, 5, 4, 3], seed: seed)
        var generator = SeededGenerator(seed: seed &+ 100)
        for layer in network.linearLayers {
            for i in 0..<layer.bias.count { layer.bias.storage[i] = 0.2 * (generator.nextUnitFloat() - 0.5) }
        }
        let x = GradientCheck.randomMatrix(rows: 4, columns: 6, using: &generator)
        return (network, x, [0, 2, 1, 2])
    }

    /// The smallest |pre-activation| feeding a ReLU: where it is within reach of a finite-difference
    /// step, the difference quotient measures the kink's jump rather than the slope.
    static func kinkMargin(_ network: Network, _ x: Matrix) -> Float {
        var margin = Float.infinity
        var activation = x
        for layer in network.layers {
            if layer is ReLU { margin = min(margin, activation.elements.map(abs).min()!) }
            activation = layer.forward(activation)
        }
        return margin
    }

    /// Seeds whose pre-activations all stay at least 0.03 from zero (checked below), so that no
    /// ±1e-2 step of a single parameter carries one across its ReLU's kink.
    @Test(arguments: [1, 6, 10] as [UInt64])
    func wholeNetworkGradientsMatchFiniteDifferences(seed: UInt64) throws {
        let (network, x, labels) = try Self.fixture(seed: seed)
        try #require(Self.kinkMargin(network, x) > 0.03, "seed \(seed) puts a ReLU input near its kink")
        _ = network.evaluate(x, labels: labels)
        network.backward()
        // Analytic gradients first: they are formed from the x and dz of the last forward and
        // backward, which the finite differences' forward passes replace.
        let analytic = network.parameterGradients().map { ($0[0].elements, $0[1].elements) }
        let loss = { GradientCheck.crossEntropy(network.forward(x), labels: labels) }
        for (index, layer) in network.linearLayers.enumerated() {
            GradientCheck.expectClose(analytic[index].0, GradientCheck.numericalGradient(of: layer.weight, loss: loss), "layer \(index) dW")
            GradientCheck.expectClose(analytic[index].1, GradientCheck.numericalGradient(of: layer.bias, loss: loss), "layer \(index) db")
        }
    }
}
