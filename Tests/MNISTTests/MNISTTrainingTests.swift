// A short training run on real digits: the whole pipeline from IDX files to a sane accuracy.

import Foundation
import MNIST
import NeuralNet
import Testing

@Suite struct MNISTTrainingTests {
    @Test func oneEpochOnTenThousandDigitsPassesEightyPercent() throws {
        let (train, test) = try BundledMNISTTests.bundled.get()
        let network = try Network(layerSizes: [784, 128, 64, 10], seed: 42)
        let history = try network.train(
            on: train.prefix(10_000), testingOn: test.prefix(2000),
            options: TrainingOptions(epochs: 1, batchSize: 64, learningRate: 0.1, shuffleSeed: 42))
        let summary = try #require(history.first)
        #expect(summary.train.count == 10_000 && summary.test.count == 2000)
        #expect(summary.test.accuracy > 0.8, "test accuracy \(summary.test.accuracy)")
        #expect(summary.train.loss < 1.5)
        // The evaluation the summary reports is the one a fresh pass gives.
        #expect(network.evaluate(on: test.prefix(2000)).correct == summary.test.correct)
    }

    @Test func aLearningRateThatDivergesThrows() throws {
        let (train, test) = try BundledMNISTTests.bundled.get()
        let network = try Network(layerSizes: [784, 128, 64, 10], seed: 1)
        let error = try #require(throws: NeuralNetError.self) {
            try network.train(on: train.prefix(640), testingOn: test.prefix(10),
                              options: TrainingOptions(epochs: 1, batchSize: 64, learningRate: 1e6))
        }
        guard case .diverged(let loss, let epoch, _) = error else {
            Issue.record("expected divergence, got \(error)")
            return
        }
        // The trainer stops once a loss passes divergenceFactor × its reference, which is at
        // least ln(10); it need not wait for the loss to overflow.
        #expect(!loss.isFinite || Double(loss) > Trainer.divergenceFactor * log(10.0), "loss \(loss)")
        #expect(epoch == 1)
    }

    /// A single step can leave the network producing infinite logits while every training loss
    /// seen was finite: the test evaluation must catch it, or a useless model would be saved.
    @Test func divergenceInTheLastStepIsCaughtByTheTestEvaluation() throws {
        let (train, test) = try BundledMNISTTests.bundled.get()
        let network = try Network(layerSizes: [784, 128, 64, 10], seed: 1)
        let error = try #require(throws: NeuralNetError.self) {
            try network.train(on: train.prefix(64), testingOn: test.prefix(100),
                              options: TrainingOptions(epochs: 1, batchSize: 64, learningRate: 3e38))
        }
        guard case .diverged(let loss, let epoch, let batch) = error else {
            Issue.record("expected divergence, got \(error)")
            return
        }
        #expect(!loss.isFinite)
        #expect(epoch == 1 && batch == 1, "the one step's own loss was finite; the check at the epoch's end caught it")
    }
}
