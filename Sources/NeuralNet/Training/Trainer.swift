// Minibatch training over a Dataset, epoch by epoch: shuffle, gather (and vary) each minibatch,
// step, and after each epoch evaluate on the validation and test sets. The validation set alone
// chooses: the best epoch, whose weights the run ends with, and when to stop early.
//
// Everything random is drawn from counters (the step, the epoch and batch), and the rest of the
// run's state is in `TrainingState`, so a run saved between two steps and resumed is the same run.

import Foundation

/// Trains a network on a dataset, one step at a time, and can be stopped and resumed between
/// any two steps.
public final class Trainer {
    public let network: Network
    public let options: TrainingOptions
    public let training: Dataset
    /// Held-out training samples that choose the best epoch and when to stop (nil: the last
    /// epoch is kept and the run never stops early).
    public let validation: Dataset?
    /// Evaluated after every epoch for the report only.
    public let test: Dataset
    /// Where the run is: everything beyond the network's weights and optimizer state.
    public private(set) var state: TrainingState

    private let loader: MinibatchLoader
    private var order: [Int]

    /// How far above its reference a minibatch loss may go before the run counts as diverged:
    /// the reference is the larger of the first step's loss and ln(classes), the loss of a
    /// network that knows nothing. Real runs stay below a few times it; runaway ones pass 10×
    /// within a few steps.
    public static let divergenceFactor = 10.0

    /// A trainer at the start of a run.
    public init(network: Network, training: Dataset, validation: Dataset? = nil, test: Dataset, options: TrainingOptions) {
        precondition(options.batchSize > 0 && options.epochs > 0, "batch size and epochs must be positive")
        precondition(options.patience == nil || validation != nil, "early stopping needs a validation set")
        self.network = network
        self.options = options
        self.training = training
        self.validation = validation
        self.test = test
        state = TrainingState(shuffle: SeededGenerator(seed: options.shuffleSeed))
        order = Array(0..<training.count)
        loader = MinibatchLoader(
            dataset: training, batchSize: options.batchSize, pool: network.pool, augmentation: options.augmentation)
    }

    /// Batches per epoch.
    public var batchesPerEpoch: Int { (training.count + options.batchSize - 1) / options.batchSize }

    /// Whether the run is over: every epoch done, or stopped early.
    public var isFinished: Bool { state.stoppedEarly || state.epochsDone >= options.epochs }

    /// Why `run` returned.
    public enum Outcome: Sendable, Equatable {
        /// Every epoch ran.
        case completed
        /// `patience` epochs went by without a better validation accuracy.
        case stoppedEarly
        /// `shouldStop` said so, between two steps; the state can be saved and resumed.
        case interrupted
    }

    /// Trains until the run is over or `shouldStop` returns true (it is asked after every step).
    /// When the run is over, the network holds the best validation epoch's weights (with a
    /// validation set) or the last epoch's.
    /// - Parameters:
    ///   - progress: called after every step.
    ///   - epochEnded: called after every epoch with its summary, before the next one starts.
    /// - Throws: `NeuralNetError.diverged` when a step's loss is not finite or exceeds
    ///   `divergenceFactor` times its reference, or an epoch ends with weights that are not finite.
    @discardableResult
    public func run(
        progress: (TrainingProgress) -> Void = { _ in },
        epochEnded: (EpochSummary) throws -> Void = { _ in },
        shouldStop: () -> Bool = { false }
    ) throws -> Outcome {
        while !isFinished {
            if shouldStop() { return .interrupted }
            guard try runEpoch(progress: progress, shouldStop: shouldStop) else { return .interrupted }
            try epochEnded(state.history.last!)
        }
        if let best = state.best, validation != nil { network.setParameters(best.parameters) }
        return state.stoppedEarly ? .stoppedEarly : .completed
    }

    /// Runs the rest of the current epoch; returns false if `shouldStop` interrupted it.
    private func runEpoch(progress: (TrainingProgress) -> Void, shouldStop: () -> Bool) throws(NeuralNetError) -> Bool {
        let epoch = state.epochsDone + 1
        let batches = batchesPerEpoch
        if state.batchesDone == 0 { order.fisherYatesShuffle(using: &state.shuffle) }
        let started = Date()
        let totalSteps = options.epochs * batches
        let warmupSteps = options.warmupEpochs * batches
        while state.batchesDone < batches {
            let index = state.batchesDone
            let start = index * options.batchSize
            let end = min(start + options.batchSize, training.count)
            loader.load(order[start..<end], augmentationSeed: mixSeed(mixSeed(options.shuffleSeed, 0xA5), UInt64(state.step)))
            let rate = options.schedule.factor(step: state.step, of: totalSteps, warmupSteps: warmupSteps)
            let result = network.trainStep(
                loader.batch, labels: loader.labels, optimizer: options.optimizer.scaled(by: rate),
                seed: mixSeed(options.shuffleSeed, UInt64(state.step)), labelSmoothing: options.labelSmoothing)
            state.step += 1
            try checkDivergence(result.loss, epoch: epoch, batch: index + 1)
            state.batchesDone += 1
            state.lossSum += Double(result.loss) * Double(end - start)
            state.correct += result.correct
            progress(TrainingProgress(
                epoch: epoch, epochs: options.epochs, batch: index + 1, batches: batches,
                samplesDone: end, samples: training.count, runningLoss: state.lossSum / Double(end),
                elapsed: Date().timeIntervalSince(started)))
            if state.batchesDone < batches && shouldStop() { return false }
        }
        finishEpoch(epoch, seconds: Date().timeIntervalSince(started))
        guard network.parametersAreFinite, state.history.last!.test.loss.isFinite else {
            throw .diverged(loss: Float(state.history.last!.test.loss), epoch: epoch, batch: batches)
        }
        return true
    }

    /// Evaluates the epoch, keeps the best validation weights, and decides on early stopping.
    private func finishEpoch(_ epoch: Int, seconds: Double) {
        let summary = EpochSummary(
            epoch: epoch,
            train: Evaluation(loss: state.lossSum / Double(max(training.count, 1)), correct: state.correct, count: training.count),
            validation: validation.map { network.evaluate(on: $0) },
            test: network.evaluate(on: test),
            seconds: seconds)
        state.history.append(summary)
        state.batchesDone = 0
        state.lossSum = 0
        state.correct = 0
        if let score = summary.validation {
            if state.best.map({ score.isBetter(than: $0.validation) }) ?? true {
                state.best = TrainingState.Best(epoch: epoch, validation: score, parameters: network.parameters)
            } else if let patience = options.patience, epoch - state.best!.epoch >= patience {
                state.stoppedEarly = true
            }
        }
    }

    private func checkDivergence(_ loss: Float, epoch: Int, batch: Int) throws(NeuralNetError) {
        if state.referenceLoss == nil {
            state.referenceLoss = max(Double(loss), log(Double(network.classCount)))
        }
        guard loss.isFinite, Double(loss) <= Self.divergenceFactor * state.referenceLoss! else {
            throw .diverged(loss: loss, epoch: epoch, batch: batch)
        }
    }

    /// Continues a run from `state` (saved from a trainer with the same options and data), with
    /// the epoch's order as it was.
    func restore(_ state: TrainingState, order: [Int]) {
        precondition(order.count == training.count, "the saved order does not fit the training set")
        self.state = state
        self.order = order
    }
}
