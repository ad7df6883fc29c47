// Minibatch SGD over a Dataset, epoch by epoch, with a test evaluation after each epoch.

import Foundation

/// How to train: the recipe, independent of the network's shape.
public struct TrainingOptions: Sendable {
    /// Passes over the training set.
    public var epochs: Int = 10
    /// Samples per step.
    public var batchSize: Int = 64
    /// The update rule and its (initial) step size.
    public var optimizer: Optimizer = .sgd(learningRate: 0.1)
    /// How the step size changes over the run.
    public var schedule: LearningRateSchedule = .constant
    /// Seeds the per-epoch shuffles (the weights have their own seed).
    public var shuffleSeed: UInt64 = 0

    /// The optimizer's step size.
    public var learningRate: Float { optimizer.learningRate }

    /// Options for plain SGD with step size `learningRate`.
    public init(epochs: Int = 10, batchSize: Int = 64, learningRate: Float = 0.1, shuffleSeed: UInt64 = 0) {
        self.init(epochs: epochs, batchSize: batchSize, optimizer: .sgd(learningRate: learningRate), shuffleSeed: shuffleSeed)
    }

    /// Options with any optimizer and schedule.
    public init(
        epochs: Int = 10, batchSize: Int = 64, optimizer: Optimizer,
        schedule: LearningRateSchedule = .constant, shuffleSeed: UInt64 = 0
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.schedule = schedule
        self.shuffleSeed = shuffleSeed
    }
}

/// Loss and accuracy of a network on a dataset.
public struct Evaluation: Sendable, Equatable {
    /// Mean cross-entropy per sample.
    public var loss: Double
    /// Samples classified correctly.
    public var correct: Int
    /// Samples evaluated.
    public var count: Int
    /// `correct / count`, 0 for an empty set.
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
}

/// What one epoch of training achieved.
public struct EpochSummary: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean minibatch loss over the epoch and accuracy of the minibatch predictions (made before
    /// each step's update).
    public var train: Evaluation
    /// The network on the test set after the epoch.
    public var test: Evaluation
    /// Wall-clock seconds of the epoch's training steps (not the test evaluation).
    public var seconds: Double
}

/// Where training is within an epoch, for progress displays.
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batches: Int
    public var samplesDone: Int
    public var samples: Int
    /// Mean loss of the epoch's steps so far.
    public var runningLoss: Double
    /// Seconds since the epoch started.
    public var elapsed: Double
}

extension Network {
    /// Loss and accuracy on `dataset`, in chunks of `chunkSize` samples.
    public func evaluate(on dataset: Dataset, chunkSize: Int = 1000) -> Evaluation {
        let loader = MinibatchLoader(dataset: dataset, batchSize: chunkSize, pool: pool)
        let order = Array(0..<dataset.count)
        var totalLoss = 0.0
        var correct = 0
        var start = 0
        while start < dataset.count {
            let end = min(start + chunkSize, dataset.count)
            loader.load(order[start..<end])
            let result = evaluate(loader.batch, labels: loader.labels)
            totalLoss += Double(result.loss) * Double(end - start)
            correct += result.correct
            start = end
        }
        return Evaluation(loss: dataset.count == 0 ? 0 : totalLoss / Double(dataset.count), correct: correct, count: dataset.count)
    }

    /// Trains with minibatch SGD, shuffling the training set before every epoch.
    /// - Parameters:
    ///   - training: the samples to learn from.
    ///   - test: evaluated after every epoch.
    ///   - options: epochs, batch size, learning rate, shuffle seed.
    ///   - progress: called after every step.
    ///   - epochEnded: called after every epoch with its summary.
    /// - Returns: one summary per epoch.
    /// - Throws: `NeuralNetError.diverged` as soon as a step's loss is NaN or infinite.
    @discardableResult
    public func train(
        on training: Dataset, testingOn test: Dataset, options: TrainingOptions,
        progress: (TrainingProgress) -> Void = { _ in },
        epochEnded: (EpochSummary) -> Void = { _ in }
    ) throws(NeuralNetError) -> [EpochSummary] {
        precondition(options.batchSize > 0 && options.epochs >= 0, "batch size and epochs must be positive")
        var generator = SeededGenerator(seed: options.shuffleSeed)
        var order = Array(0..<training.count)
        let loader = MinibatchLoader(dataset: training, batchSize: options.batchSize, pool: pool)
        let batches = (training.count + options.batchSize - 1) / options.batchSize
        var summaries: [EpochSummary] = []
        var step = 0

        for epoch in 1...max(options.epochs, 1) where options.epochs > 0 {
            order.fisherYatesShuffle(using: &generator)
            let started = Date()
            var lossSum = 0.0
            var correct = 0
            for index in 0..<batches {
                let start = index * options.batchSize
                let end = min(start + options.batchSize, training.count)
                loader.load(order[start..<end])
                let rate = options.schedule.factor(step: step, of: options.epochs * batches)
                let result = trainStep(loader.batch, labels: loader.labels, optimizer: options.optimizer.scaled(by: rate))
                step += 1
                guard result.loss.isFinite else { throw .diverged(loss: result.loss, step: step) }
                lossSum += Double(result.loss) * Double(end - start)
                correct += result.correct
                progress(TrainingProgress(
                    epoch: epoch, epochs: options.epochs, batch: index + 1, batches: batches,
                    samplesDone: end, samples: training.count, runningLoss: lossSum / Double(end),
                    elapsed: Date().timeIntervalSince(started)))
            }
            let seconds = Date().timeIntervalSince(started)
            let summary = EpochSummary(
                epoch: epoch,
                train: Evaluation(loss: lossSum / Double(max(training.count, 1)), correct: correct, count: training.count),
                test: evaluate(on: test),
                seconds: seconds)
            guard summary.test.loss.isFinite else { throw .diverged(loss: Float(summary.test.loss), step: step) }
            summaries.append(summary)
            epochEnded(summary)
        }
        return summaries
    }
}
