// Dropout: identity at inference, inverted scaling while training, masks that depend only on the
// step's seed and the row, and a backward that matches finite differences under a fixed mask.

import NeuralNet
import Testing

@Suite struct DropoutTests {
    static func input(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return GradientCheck.randomMatrix(rows: rows, columns: columns, in: 0.1...1, using: &generator)
    }

    @Test func inferenceIsTheIdentity() {
        let dropout = Dropout(size: 7, probability: 0.5)
        let x = Self.input(rows: 3, columns: 7, seed: 1)
        #expect(dropout.forward(x) == x)
    }

    @Test(arguments: [0.1, 0.5, 0.8] as [Float])
    func trainingDropsAboutPAndScalesTheRestByOneOverOneMinusP(probability: Float) {
        let dropout = Dropout(size: 100, probability: probability)
        let x = Matrix(rows: 50, columns: 100, elements: Array(repeating: 1, count: 5000))
        let y = dropout.forward(x, mode: .training(seed: 3)).elements
        let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
        #expect(abs(dropped - Double(probability)) < 0.03)
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 1 / (1 - probability)) < 1e-6 })
    }

    @Test func maskDependsOnTheSeedAndRowNotOnHowRowsAreSplit() {
        let x = Self.input(rows: 9, columns: 13, seed: 2)
        let whole = Dropout(size: 13, probability: 0.4)
        let y = whole.forward(x, mode: .training(seed: 77)).elements
        let split = Dropout(size: 13, probability: 0.4)
        split.prepare(batchSize: 9, parts: 2)
        split.forward(x, rows: 5..<9, part: 1, mode: .training(seed: 77))
        split.forward(x, rows: 0..<5, part: 0, mode: .training(seed: 77))
        #expect(split.output.elements == y)
        let other = Dropout(size: 13, probability: 0.4).forward(x, mode: .training(seed: 78)).elements
        #expect(other != y)
    }

    @Test func backwardMatchesFiniteDifferencesUnderAFixedMask() {
        let dropout = Dropout(size: 6, probability: 0.3)
        let x = Self.input(rows: 4, columns: 6, seed: 4)
        var generator = SeededGenerator(seed: 5)
        let r = GradientCheck.randomMatrix(rows: 4, columns: 6, using: &generator)
        // The same seed gives the same mask on every forward, so L = Σ r ⊙ y is smooth in x.
        let mode = ForwardMode.training(seed: 9)
        _ = dropout.forward(x, mode: mode)
        let dx = dropout.backward(r, input: x)!.elements
        let numeric = GradientCheck.numericalGradient(of: x) {
            GradientCheck.weightedSum(dropout.forward(x, mode: mode), by: r)
        }
        GradientCheck.expectClose(dx, numeric, "dx")
        #expect(dx.contains(0), "some features were dropped")
    }

    @Test func networkPutsDropoutAfterEveryHiddenReLUOnly() throws {
        let network = try Network(layerSizes: [8, 6, 5, 3], dropout: 0.25, seed: 1)
        let kinds = network.layers.map { String(describing: type(of: $0)) }
        #expect(kinds == ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"])
        #expect(throws: NeuralNetError.invalidDropout(1)) { try Network(layerSizes: [8, 3], dropout: 1, seed: 1) }
    }

    @Test func aNetworkWithDropoutPredictsLikeItsLinearLayersAlone() throws {
        let withDropout = try Network(layerSizes: [8, 6, 3], dropout: 0.5, seed: 2)
        let plain = try Network(layerSizes: [8, 6, 3], seed: 2)
        let x = Self.input(rows: 5, columns: 8, seed: 6)
        #expect(withDropout.probabilities(x) == plain.probabilities(x))
    }
}
