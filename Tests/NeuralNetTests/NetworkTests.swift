// Network construction, reproducibility, and the threaded products agreeing with the serial ones.

import NeuralNet
import Testing

@Suite struct NetworkTests {
    @Test(arguments: [[], [10], [784, 0, 10], [784, -3, 10], [0, 10], [5, 0]] as [[Int]])
    func invalidLayerSizesThrow(sizes: [Int]) {
        #expect(throws: NeuralNetError.invalidLayerSizes(sizes)) {
            try Network(layerSizes: sizes, seed: 1)
        }
    }

    @Test func invalidLayerSizesMessageSaysWhatIsNeeded() {
        let message = NeuralNetError.invalidLayerSizes([784, 0, 10]).description
        #expect(message.contains("[784,0,10]"))
        #expect(message.contains("positive"))
    }

    @Test func layersAlternateLinearAndReLUWithNoActivationAfterTheLast() throws {
        let network = try Network(layerSizes: [784, 128, 64, 10], seed: 1)
        let kinds = network.layers.map { $0 is Linear ? "Linear" : $0 is ReLU ? "ReLU" : "?" }
        #expect(kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear"])
        #expect(network.linearLayers.map { [$0.inputSize, $0.outputSize] } == [[784, 128], [128, 64], [64, 10]])
        #expect(network.parameterCount == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10)
        #expect(network.inputSize == 784 && network.classCount == 10)
    }

    @Test func sameSeedGivesIdenticalWeightsAndDifferentSeedsDiffer() throws {
        let a = try Network(layerSizes: [20, 10, 3], seed: 7)
        let b = try Network(layerSizes: [20, 10, 3], seed: 7)
        let c = try Network(layerSizes: [20, 10, 3], seed: 8)
        #expect(Self.parameters(of: a) == Self.parameters(of: b))
        #expect(Self.parameters(of: a) != Self.parameters(of: c))
    }

    @Test func trainingLowersTheLossOnAFixedBatch() throws {
        let network = try Network(layerSizes: [6, 8, 3], seed: 2)
        var generator = SeededGenerator(seed: 9)
        let x = GradientCheck.randomMatrix(rows: 12, columns: 6, using: &generator)
        let labels = (0..<12).map { $0 % 3 }
        let first = network.trainStep(x, labels: labels, learningRate: 0.5).loss
        for _ in 0..<200 { network.trainStep(x, labels: labels, learningRate: 0.5) }
        let last = network.evaluate(x, labels: labels)
        #expect(last.loss < first / 4)
        #expect(last.correct == 12)
    }

    @Test func probabilitiesAreRowsThatSumToOne() throws {
        let network = try Network(layerSizes: [4, 5, 3], seed: 4)
        var generator = SeededGenerator(seed: 4)
        let p = network.probabilities(GradientCheck.randomMatrix(rows: 6, columns: 4, using: &generator))
        #expect(p.rows == 6 && p.columns == 3)
        for row in 0..<6 { #expect(abs(p.row(row).reduce(0, +) - 1) < 1e-5) }
    }

    // Sizes above the library's threshold for splitting a product, so two threads really split.
    static let threadedSizes = [200, 64, 48, 10]
    static let batch = 64

    /// A network on `threads` threads, its batch, and the gradients of one backward pass.
    static func gradients(threads: Int) throws -> [[Float]] {
        let pool = ComputePool(threadCount: threads)
        let network = try Network(layerSizes: threadedSizes, seed: 5, pool: pool)
        var generator = SeededGenerator(seed: 6)
        let x = GradientCheck.randomMatrix(rows: batch, columns: threadedSizes[0], in: 0...1, using: &generator)
        let labels = (0..<batch).map { _ in generator.nextInt(below: 10) }
        _ = network.evaluate(x, labels: labels)
        network.backward()
        return network.parameterGradients().flatMap { $0.map(\.elements) }
    }

    /// A network trained for a few steps on `threads` threads.
    static func trained(threads: Int, steps: Int = 10) throws -> Network {
        let network = try Network(layerSizes: threadedSizes, seed: 5, pool: ComputePool(threadCount: threads))
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<steps {
            let x = GradientCheck.randomMatrix(rows: batch, columns: threadedSizes[0], in: 0...1, using: &generator)
            let labels = (0..<batch).map { _ in generator.nextInt(below: 10) }
            network.trainStep(x, labels: labels, learningRate: 0.1)
        }
        return network
    }

    static func parameters(of network: Network) -> [[Float]] {
        network.linearLayers.flatMap { [$0.weight.elements, $0.bias.elements] }
    }

    @Test func twoThreadsGiveTheGradientsOfOne() throws {
        let serial = try Self.gradients(threads: 1)
        let threaded = try Self.gradients(threads: 2)
        for (index, (s, t)) in zip(serial, threaded).enumerated() {
            let scale = s.map(abs).max()!
            let worst = zip(s, t).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-5 * scale, "tensor \(index): differs by \(worst) at scale \(scale)")
        }
    }

    @Test(arguments: [1, 2])
    func sameSeedAndThreadsGiveBitIdenticalTraining(threads: Int) throws {
        let a = try Self.parameters(of: Self.trained(threads: threads))
        let b = try Self.parameters(of: Self.trained(threads: threads))
        #expect(a == b)
    }

    @Test func trainingOnTwoThreadsStaysCloseToOne() throws {
        let serial = try Self.parameters(of: Self.trained(threads: 1)).flatMap { $0 }
        let threaded = try Self.parameters(of: Self.trained(threads: 2)).flatMap { $0 }
        let worst = zip(serial, threaded).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4)
    }
}
