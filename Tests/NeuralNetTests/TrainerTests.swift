// The trainer: the best validation epoch is kept and chosen on validation data alone, patience
// stops the run, a runaway loss is caught, and a run stopped between two steps resumes exactly.

import NeuralNet
import Testing

/// Shifts every byte sample by one feature (wrapping), seeded or not: enough to tell whether the
/// loader varies samples, and the same for the same seed.
private final class RotateBytes: SampleAugmentation {
    func augment(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, scale: Float, seed: UInt64) {
        let shift = Int(seed % 3)
        for i in 0..<16 { destination[i] = Float(source[(i + shift) % 16]) * scale }
    }
}

@Suite struct TrainerTests {
    /// Two classes of 16 byte features: bright left half or bright right half, with noise.
    static func dataset(count: Int, seed: UInt64, noise: Int = 120) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = []
        var labels: [Int] = []
        for index in 0..<count {
            let label = index % 2
            for column in 0..<16 {
                let bright = (column < 8) == (label == 0)
                bytes.append(UInt8((bright ? 110 : 20) + generator.nextInt(below: noise)))
            }
            labels.append(label)
        }
        return Dataset(features: .bytes(bytes, scale: 1 / 255), labels: labels, featureCount: 16, classCount: 2)
    }

    static func options(_ optimizer: Optimizer, schedule: LearningRateSchedule = .constant, patience: Int? = nil) -> TrainingOptions {
        TrainingOptions(epochs: 4, batchSize: 8, optimizer: optimizer, schedule: schedule, warmupEpochs: 1,
                        shuffleSeed: 3, patience: patience, augmentation: RotateBytes())
    }

    static func trainer(_ options: TrainingOptions, threads: Int = 1) throws -> Trainer {
        let network = try Network(layerSizes: [16, 12, 2], dropout: 0.2, seed: 1, pool: ComputePool(threadCount: threads))
        return Trainer(network: network, training: dataset(count: 100, seed: 1),
                       validation: dataset(count: 40, seed: 2), test: dataset(count: 40, seed: 3), options: options)
    }

    @Test(arguments: [Optimizer.sgd(learningRate: 0.2), .adam(learningRate: 0.01), .adamW(learningRate: 0.01, weightDecay: 0.1)],
          [LearningRateSchedule.constant, .cosine])
    func aRunStoppedBetweenTwoStepsAndResumedIsTheSameRun(optimizer: Optimizer, schedule: LearningRateSchedule) throws {
        let options = Self.options(optimizer, schedule: schedule)
        let straight = try Self.trainer(options)
        try straight.run()

        let first = try Self.trainer(options)
        var steps = 0
        // 13 batches an epoch: stop in the middle of the second epoch.
        let outcome = try first.run(shouldStop: { steps += 1; return steps == 20 })
        #expect(outcome == .interrupted)
        let saved = try SafeTensors(decoding: first.checkpoint(metadata: ["recipe": "test"]).encoded())

        let second = try Self.trainer(options)
        try second.resume(from: saved)
        #expect(try second.run() == .completed)
        #expect(second.network.parameters == straight.network.parameters)
        #expect(second.state.history.map(\.train) == straight.state.history.map(\.train))
        #expect(second.state.best?.epoch == straight.state.best?.epoch)
    }

    @Test func aCheckpointOfAnotherRecipeIsRefused() throws {
        let first = try Self.trainer(Self.options(.sgd(learningRate: 0.2)))
        var steps = 0
        try first.run(shouldStop: { steps += 1; return steps == 3 })
        let other = try Self.trainer(Self.options(.adam(learningRate: 0.01)))
        #expect(throws: CheckpointError.self) { try other.resume(from: first.checkpoint()) }
        let model = first.network.safeTensors()
        #expect(throws: CheckpointError.notACheckpoint) { try other.resume(from: model) }
    }

    @Test func theRunEndsWithTheBestValidationEpochsWeights() throws {
        let trainer = try Self.trainer(Self.options(.sgd(learningRate: 0.2)))
        try trainer.run()
        let history = trainer.state.history
        let best = try #require(trainer.state.best)
        // The first epoch that no other beats: most correct, then lowest loss.
        var chosen = history[0]
        for summary in history.dropFirst() where summary.validation!.isBetter(than: chosen.validation!) {
            chosen = summary
        }
        #expect(best.epoch == chosen.epoch)
        #expect(trainer.network.parameters == best.parameters)
        #expect(trainer.network.evaluate(on: trainer.validation!) == best.validation)
    }

    @Test func theTestSetChoosesNothing() throws {
        // Two trainers that differ only in their test set: one the validation set itself, one
        // of the opposite labels, which would pick another epoch if it were asked.
        let options = Self.options(.sgd(learningRate: 0.2))
        let validation = Self.dataset(count: 40, seed: 2)
        var flipped = validation.labels
        for i in flipped.indices { flipped[i] = 1 - flipped[i] }
        guard case .bytes(let bytes, let scale) = validation.features else { Issue.record("bytes expected"); return }
        let opposite = Dataset(features: .bytes(bytes, scale: scale), labels: flipped, featureCount: 16, classCount: 2)
        var results: [[Float]] = []
        for test in [validation, opposite] {
            let network = try Network(layerSizes: [16, 12, 2], dropout: 0.2, seed: 1)
            let trainer = Trainer(network: network, training: Self.dataset(count: 100, seed: 1),
                                  validation: validation, test: test, options: options)
            try trainer.run()
            results.append(trainer.network.parameters)
        }
        #expect(results[0] == results[1])
    }

    @Test func patienceStopsTheRunAfterEpochsWithoutImprovement() throws {
        var options = Self.options(.sgd(learningRate: 0.2), patience: 1)
        options.epochs = 30
        let trainer = try Self.trainer(options)
        #expect(try trainer.run() == .stoppedEarly)
        let epochs = trainer.state.history.count
        #expect(epochs < 30)
        #expect(epochs == trainer.state.best!.epoch + 1)
    }

    @Test(arguments: [Optimizer.sgd(learningRate: 1000), .adam(learningRate: 50)])
    func aRunawayLossIsCaughtWithItsEpochAndBatch(optimizer: Optimizer) throws {
        let trainer = try Self.trainer(TrainingOptions(epochs: 3, batchSize: 8, optimizer: optimizer, shuffleSeed: 1))
        do {
            try trainer.run()
            Issue.record("no divergence reported")
        } catch let error as NeuralNetError {
            guard case .diverged(let loss, let epoch, let batch) = error else {
                Issue.record("expected .diverged, got \(error)")
                return
            }
            #expect(!loss.isFinite || Double(loss) > Trainer.divergenceFactor * 0.69)
            #expect(epoch >= 1 && batch >= 1)
            #expect(error.description.contains("smaller learning rate"))
        }
    }

    @Test func theMinibatchesAreVariedByTheAugmentationAndLabelsKept() throws {
        // With an augmentation the epoch's train loss differs from the plain run's; the labels
        // the network trains on are the dataset's.
        var plainOptions = Self.options(.sgd(learningRate: 0.2))
        plainOptions.augmentation = nil
        let plain = try Self.trainer(plainOptions)
        let augmented = try Self.trainer(Self.options(.sgd(learningRate: 0.2)))
        try plain.run()
        try augmented.run()
        #expect(plain.state.history[0].train.loss != augmented.state.history[0].train.loss)
        #expect(augmented.state.history.last!.train.accuracy > 0.9)
    }

    @Test func holdingOutSplitsWithoutOverlapAndKeepsEverySample() throws {
        let data = Self.dataset(count: 50, seed: 9)
        let (rest, heldOut) = data.holdingOut(10, seed: 4)
        #expect(rest.count == 40 && heldOut.count == 10)
        let rows = { (d: Dataset) in (0..<d.count).map { d.matrix($0..<($0 + 1)).elements } }
        let all = Set(rows(data).map { $0.description })
        #expect(Set(rows(rest).map { $0.description } + rows(heldOut).map { $0.description }) == all)
        #expect(data.holdingOut(10, seed: 4).heldOut.labels == heldOut.labels)
        #expect(data.holdingOut(10, seed: 5).heldOut.matrix().elements != heldOut.matrix().elements)
    }
}
