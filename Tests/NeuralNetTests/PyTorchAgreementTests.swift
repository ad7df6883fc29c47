// A small convolutional network with batch norm, built and run by PyTorch (scripts/make_cnn_fixture.py):
// our loader takes its state dict, and our forward, loss, gradients and running statistics agree with
// PyTorch's, in inference and in training mode, on one thread and split across two.

import Foundation
@testable import NeuralNet
import Testing

@Suite struct PyTorchAgreementTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load(threads: Int) throws -> (Network, SafeTensors) {
        let path = fixtures.appendingPathComponent("cnn-bn.safetensors").path
        let network = try Network.load(from: path, pool: ComputePool(threadCount: threads)).network
        let expected = try SafeTensors(decoding: readFile(fixtures.appendingPathComponent("cnn-bn.expected.safetensors").path))
        return (network, expected)
    }

    static func expectClose(_ ours: [Float], _ theirs: [Float], tolerance: Float = 1e-5, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.count == theirs.count, "\(what): \(ours.count) values against \(theirs.count)", sourceLocation: sourceLocation)
        let worst = zip(ours, theirs).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= tolerance, "\(what): differs by \(worst)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [1, 2])
    func inferenceMatchesPyTorchsEvalMode(threads: Int) throws {
        let (network, expected) = try Self.load(threads: threads)
        #expect(network.architecture.description == "1x8x8,4C3,BN,MP2,6C3S2,8,BN,3")
        let x = Matrix(rows: 6, columns: 64, elements: expected["input"]!.values)
        Self.expectClose(network.forward(x).elements, expected["eval_logits"]!.values, "eval logits")
    }

    @Test(arguments: [1, 2])
    func trainingForwardGradientsAndRunningStatisticsMatchPyTorch(threads: Int) throws {
        let (network, expected) = try Self.load(threads: threads)
        let x = Matrix(rows: 6, columns: 64, elements: expected["input"]!.values)
        let labels = expected["labels"]!.values.map { Int($0) }
        let result = network.computeGradients(x, labels: labels, mode: .training(seed: 0))
        Self.expectClose(network.layers.last!.output.elements, expected["train_logits"]!.values, "training logits")
        Self.expectClose([result.loss], expected["train_loss"]!.values, "loss")
        let gradients = network.parameterGradients()
        var compared = 0
        for ((index, layer), layerGradients) in zip(network.parameterizedLayers, gradients) {
            for (tensor, gradient) in zip(layer.tensors.filter(\.isLearned), layerGradients) {
                let name = "\(index).\(tensor.name)"
                Self.expectClose(gradient.elements, try #require(expected["grad." + name]).values, tolerance: 1e-4, "d\(name)")
                compared += 1
            }
            for tensor in layer.tensors where tensor.name.hasPrefix("running") {
                let name = "\(index).\(tensor.name)"
                Self.expectClose(tensor.values.elements, try #require(expected["after." + name]).values, "\(name) after a step")
            }
        }
        #expect(compared == 10)
    }

    @Test func savedFileHasTheStateDictsNamesAndShapes() throws {
        let (network, _) = try Self.load(threads: 1)
        let original = try SafeTensors(decoding: readFile(Self.fixtures.appendingPathComponent("cnn-bn.safetensors").path))
        let saved = network.safeTensors()
        #expect(Set(saved.tensors.map(\.name)) == Set(original.tensors.map(\.name)))
        for tensor in original.tensors {
            #expect(saved[tensor.name]?.shape == tensor.shape, "\(tensor.name)")
            #expect(saved[tensor.name]?.values == tensor.values, "\(tensor.name)")
        }
        #expect(saved.metadata["layers"] == "1x8x8,4C3,BN,MP2,6C3S2,8,BN,3")
    }
}

@Suite struct ConvolutionalNetworkTests {
    static let architecture = try! Architecture(parsing: "1x8x8,4C3,BN,MP2,6C3S2,8,BN,D0.2,3")

    /// 64 rows: enough work that two threads split the batch in two parts.
    static func batch(seed: UInt64) -> (Matrix, [Int]) {
        var generator = SeededGenerator(seed: seed)
        let x = GradientCheck.randomMatrix(rows: 64, columns: 64, in: 0...1, using: &generator)
        return (x, (0..<64).map { _ in generator.nextInt(below: 3) })
    }

    static func trained(threads: Int) -> Network {
        let network = Network(architecture: architecture, seed: 4, pool: ComputePool(threadCount: threads))
        for step in 0..<5 {
            let (x, labels) = batch(seed: UInt64(step))
            network.trainStep(x, labels: labels, optimizer: .adamW(learningRate: 0.01, weightDecay: 0.01), seed: UInt64(step))
        }
        return network
    }

    @Test(arguments: [1, 2])
    func theSameSeedAndThreadsGiveTheSameBits(threads: Int) {
        #expect(Self.trained(threads: threads).parameters == Self.trained(threads: threads).parameters)
    }

    @Test func runningStatisticsAreSavedAndRestored() throws {
        let network = Self.trained(threads: 2)
        let loaded = try Network(safeTensors: SafeTensors(decoding: network.safeTensors().encoded()),
                                 pool: ComputePool(threadCount: 2))
        #expect(loaded.parameters == network.parameters)
        let batchNorm = try #require(loaded.layers[1] as? BatchNorm)
        #expect(batchNorm.runningMean.elements != [Float](repeating: 0, count: 4), "training moved the running mean")
        #expect(batchNorm.batchesTracked.storage[0] == 5)
        let (x, _) = Self.batch(seed: 99)
        #expect(loaded.probabilities(x) == network.probabilities(x))
    }

    @Test func twoThreadsAgreeWithOneWithinRounding() {
        let twoThreads = Self.trained(threads: 2)
        #expect(twoThreads.partsOfLastBatch == 2, "the batch was not split, so this compares one part with one part")
        let one = Self.trained(threads: 1).parameters, two = twoThreads.parameters
        let worst = zip(one, two).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4, "parameters differ by \(worst)")
    }
}
