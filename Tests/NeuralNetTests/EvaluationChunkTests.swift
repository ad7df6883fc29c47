// Whole-dataset passes go in chunks small enough that no layer's output passes 16 MB, and the
// chunking does not change what they report.

@testable import NeuralNet
import Testing

@Suite struct EvaluationChunkTests {
    @Test func perceptronsKeepAThousandAndTheRecipeCNNTakesFewer() throws {
        let perceptron = Network(architecture: try Architecture(layerSizes: [784, 128, 64, 10]), seed: 1)
        #expect(perceptron.evaluationChunkSize == 1000)
        // The first convolution's output is 32 × 28 × 28 = 25,088 values a sample.
        let cnn = Network(architecture: try Architecture(parsing: "1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10"), seed: 1)
        #expect(cnn.evaluationChunkSize == (1 << 22) / 25_088)
    }

    @Test func aCNNScoresTheSameInChunksAsInOnePiece() throws {
        let network = Network(architecture: try Architecture(parsing: "1x28x28,32C5,BN,MP2,10"), seed: 3,
                              pool: ComputePool(threadCount: 2))
        let count = 400
        var generator = SeededGenerator(seed: 9)
        let features = (0..<(count * 784)).map { _ in Float.random(in: 0...1, using: &generator) }
        let labels = (0..<count).map { _ in Int.random(in: 0..<10, using: &generator) }
        let data = Dataset(features: .floats(features), labels: labels, featureCount: 784, classCount: 10)
        #expect(network.evaluationChunkSize < count, "the default cuts these samples into several chunks")
        let chunked = network.evaluate(on: data)
        let whole = network.evaluate(on: data, chunkSize: count)
        #expect(chunked.correct == whole.correct)
        #expect(abs(chunked.loss - whole.loss) < 1e-5)
    }
}
