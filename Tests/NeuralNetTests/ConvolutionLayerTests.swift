// Finite-difference checks of the convolutional layers, each run split into parts as a step splits
// a batch (batch norm's statistics then cross the parts), and their shapes against PyTorch's rules.

import NeuralNet
import Testing

/// Runs a layer over a batch in `parts` contiguous parts, as `Network`'s step does: statistics
/// gathered per part and combined before the rows that need them.
enum PartRunner {
    static func forward(_ layer: any Layer, _ x: Matrix, parts: Int, mode: ForwardMode = .training(seed: 1)) -> Matrix {
        layer.prepare(batchSize: x.rows, parts: parts)
        let ranges = (0..<parts).map { rows(of: x.rows, part: $0, parts: parts) }
        if layer.usesBatchStatistics && mode.isTraining {
            for (part, range) in ranges.enumerated() { layer.accumulateStatistics(x, rows: range, part: part) }
            layer.combineStatistics(parts: parts)
        }
        // Later parts first: nothing may depend on the order parts run in.
        for (part, range) in ranges.enumerated().reversed() { layer.forward(x, rows: range, part: part, mode: mode) }
        return layer.output
    }

    static func backward(_ layer: any Layer, _ dy: Matrix, input x: Matrix, parts: Int) {
        let ranges = (0..<parts).map { rows(of: x.rows, part: $0, parts: parts) }
        if layer.usesBatchStatistics {
            for (part, range) in ranges.enumerated() { layer.accumulateGradientStatistics(dy, input: x, rows: range, part: part) }
            layer.combineGradientStatistics(parts: parts)
        }
        for (part, range) in ranges.enumerated().reversed() { layer.backward(dy, input: x, rows: range, part: part) }
    }

    static func rows(of count: Int, part: Int, parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Checks dL/dx and every learned tensor's gradient of L = Σ r ⊙ layer(x) against finite differences.
    static func checkGradients(_ layer: any Layer, input x: Matrix, parts: Int, seed: UInt64, tolerance: Double = 1e-2,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        var generator = SeededGenerator(seed: seed)
        let y = forward(layer, x, parts: parts)
        let r = GradientCheck.randomMatrix(rows: y.rows, columns: y.columns, using: &generator)
        backward(layer, r, input: x, parts: parts)
        let dx = layer.inputGradient?.elements
        let parameterized = layer as? any ParameterizedLayer
        let analytic = parameterized?.parameterGradients(input: x, outputGradient: r).map(\.elements) ?? []
        let loss = { GradientCheck.weightedSum(forward(layer, x, parts: parts), by: r) }
        if let dx {
            GradientCheck.expectClose(dx, GradientCheck.numericalGradient(of: x, loss: loss), relativeTolerance: tolerance,
                                      "dx", sourceLocation: sourceLocation)
        }
        let learned = parameterized?.tensors.filter(\.isLearned) ?? []
        for (tensor, gradient) in zip(learned, analytic) {
            GradientCheck.expectClose(gradient, GradientCheck.numericalGradient(of: tensor.values, loss: loss),
                                      relativeTolerance: tolerance, "d\(tensor.name)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct Conv2dTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var input: ImageShape, channels: Int, kernel: Int, stride: Int, padding: Int, bias: Bool
        var testDescription: String { "\(input) → \(channels)C\(kernel)S\(stride)P\(padding)\(bias ? "" : " no bias")" }
    }

    static let cases = [
        Case(input: ImageShape(channels: 1, height: 5, width: 5), channels: 2, kernel: 3, stride: 1, padding: 1, bias: true),
        Case(input: ImageShape(channels: 2, height: 6, width: 5), channels: 3, kernel: 3, stride: 2, padding: 1, bias: true),
        Case(input: ImageShape(channels: 2, height: 7, width: 7), channels: 2, kernel: 5, stride: 1, padding: 0, bias: false),
        Case(input: ImageShape(channels: 3, height: 4, width: 4), channels: 2, kernel: 1, stride: 1, padding: 0, bias: true),
        Case(input: ImageShape(channels: 1, height: 8, width: 8), channels: 2, kernel: 5, stride: 2, padding: 2, bias: true),
    ]

    @Test(arguments: cases, [1, 2, 3])
    func gradientsMatchFiniteDifferences(testCase: Case, parts: Int) {
        var generator = SeededGenerator(seed: 5)
        let layer = Conv2d(input: testCase.input, outputChannels: testCase.channels, kernel: testCase.kernel,
                           stride: testCase.stride, padding: testCase.padding, bias: testCase.bias)
        layer.initializeHe(using: &generator)
        for i in 0..<layer.bias.count where testCase.bias { layer.bias.storage[i] = generator.nextUnitFloat() - 0.5 }
        let x = GradientCheck.randomMatrix(rows: 3, columns: testCase.input.count, using: &generator)
        PartRunner.checkGradients(layer, input: x, parts: parts, seed: 9)
    }

    @Test func forwardMatchesADirectConvolution() {
        // 1 channel 4×4 input, one 3×3 kernel of ones, stride 2, padding 1: each output sums a window.
        let layer = Conv2d(input: ImageShape(channels: 1, height: 4, width: 4), outputChannels: 1, kernel: 3, stride: 2, padding: 1)
        layer.weight.fill(1)
        layer.bias.storage[0] = 0.5
        let x = Matrix(rows: 1, columns: 16, elements: (0..<16).map(Float.init))
        let y = layer.forward(x).elements
        // Windows centred on (0,0), (0,2), (2,0), (2,2) of [[0,1,2,3],[4,5,6,7],[8,9,10,11],[12,13,14,15]].
        #expect(layer.outputShape == ImageShape(channels: 1, height: 2, width: 2))
        let sums: [Float] = [10, 24, 51, 90]  // 0+1+4+5, 1+2+3+5+6+7, 4+5+8+9+12+13, 5+6+7+9+10+11+13+14+15
        #expect(y == sums.map { $0 + 0.5 })
    }

    @Test func tensorsHavePyTorchsShapes() {
        let layer = Conv2d(input: ImageShape(channels: 3, height: 8, width: 8), outputChannels: 4, kernel: 5, padding: 2)
        #expect(layer.tensors.map(\.shape) == [[4, 3, 5, 5], [4]])
        let noBias = Conv2d(input: ImageShape(channels: 3, height: 8, width: 8), outputChannels: 4, kernel: 5, padding: 2, bias: false)
        #expect(noBias.tensors.map(\.name) == ["weight"])
    }
}

@Suite struct MaxPool2dTests {
    @Test(arguments: [1, 2])
    func gradientsMatchFiniteDifferences(parts: Int) {
        var generator = SeededGenerator(seed: 3)
        let layer = MaxPool2d(input: ImageShape(channels: 2, height: 5, width: 4))
        // Distinct values far apart, so no finite-difference step changes which one is largest.
        var values = (0..<(3 * 40)).map { Float($0) * 0.1 }
        values.shuffle(using: &generator)
        let x = Matrix(rows: 3, columns: 40, elements: values)
        PartRunner.checkGradients(layer, input: x, parts: parts, seed: 4)
        #expect(layer.outputShape == ImageShape(channels: 2, height: 2, width: 2))
    }

    /// The 2×2 path and the general window both agree with a plain maximum over each window,
    /// on odd sizes whose last row and column are dropped.
    @Test(arguments: [2, 3])
    func eachOutputIsItsWindowsMaximum(size: Int) {
        var generator = SeededGenerator(seed: 11)
        let shape = ImageShape(channels: 3, height: 7, width: 8)
        let layer = MaxPool2d(input: shape, size: size)
        let x = GradientCheck.randomMatrix(rows: 2, columns: shape.count, in: -1...1, using: &generator)
        let y = layer.forward(x)
        var expected: [Float] = []
        for row in 0..<2 {
            for c in 0..<3 {
                for oy in 0..<(7 / size) {
                    for ox in 0..<(8 / size) {
                        var best = -Float.infinity
                        for dy in 0..<size {
                            for dx in 0..<size {
                                best = max(best, x[row, c * 56 + (oy * size + dy) * 8 + ox * size + dx])
                            }
                        }
                        expected.append(best)
                    }
                }
            }
        }
        #expect(y.elements == expected)
    }

    @Test func tiesGoToTheFirstMaximumInReadingOrder() {
        let layer = MaxPool2d(input: ImageShape(channels: 1, height: 2, width: 4))
        let x = Matrix(rows: 1, columns: 8, elements: [1, 3, 2, 2,
                                                     3, 0, 2, 2])
        #expect(layer.forward(x).elements == [3, 2])
        let dx = layer.backward(Matrix(rows: 1, columns: 2, elements: [10, 20]), input: x)!
        #expect(dx.elements == [0, 10, 20, 0,
                                0, 0, 0, 0])
    }
}

@Suite struct BatchNormTests {
    @Test(arguments: [(1, 1), (1, 3), (4, 1), (4, 3)])
    func trainingGradientsMatchFiniteDifferences(spatial: Int, parts: Int) {
        var generator = SeededGenerator(seed: 8)
        let layer = BatchNorm(channels: 3, spatial: spatial)
        for i in 0..<3 {
            layer.scale.storage[i] = 0.5 + generator.nextUnitFloat()
            layer.shift.storage[i] = generator.nextUnitFloat() - 0.5
        }
        let x = GradientCheck.randomMatrix(rows: 5, columns: 3 * spatial, in: -2...2, using: &generator)
        PartRunner.checkGradients(layer, input: x, parts: parts, seed: 2, tolerance: 2e-2)
    }

    @Test func normalisesWithTheBatchWhileTrainingAndRunningStatisticsOtherwise() {
        let layer = BatchNorm(channels: 2, spatial: 2)
        // Channel 0 takes 1, 3 | 5, 7 (mean 4, biased variance 5); channel 1 is constant 2.
        let x = Matrix(rows: 2, columns: 4, elements: [1, 3, 2, 2,
                                                       5, 7, 2, 2])
        let y = PartRunner.forward(layer, x, parts: 2)
        let deviation = Float(5 + 1e-5).squareRoot()
        let expected: [Float] = [-3 / deviation, -1 / deviation, 0, 0, 1 / deviation, 3 / deviation, 0, 0]
        #expect(zip(y.elements, expected).allSatisfy { abs($0 - $1) < 1e-5 })
        // Running statistics: 0.9 · (0, 1) + 0.1 · (mean, unbiased variance 20/3).
        let mean = layer.runningMean.elements, variance = layer.runningVariance.elements
        #expect(abs(mean[0] - 0.4) < 1e-6)
        #expect(abs(mean[1] - 0.2) < 1e-6)
        let expectedVariance: Float = 0.9 + 0.1 * 20 / 3
        #expect(abs(variance[0] - expectedVariance) < 1e-5)
        #expect(abs(layer.runningVariance.storage[1] - 0.9) < 1e-6)
        #expect(layer.batchesTracked.storage[0] == 1)
        // Inference: (x − running mean) / √(running var + ε).
        let inference = layer.forward(x, mode: .inference).elements
        let runningDeviation = (layer.runningVariance.storage[0] + 1e-5).squareRoot()
        #expect(abs(inference[0] - (1 - 0.4) / runningDeviation) < 1e-5)
    }

    @Test func tensorsAreNamedAsPyTorchNamesThem() {
        let layer = BatchNorm(channels: 4, spatial: 9)
        #expect(layer.tensors.map(\.name) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        #expect(layer.tensors.map(\.shape) == [[4], [4], [4], [4], []])
        #expect(layer.tensors.map(\.isLearned) == [true, true, false, false, false])
    }
}
