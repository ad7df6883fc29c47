// The metadata mnist-train writes into a model file: how inputs must look, how it was trained,
// and its per-epoch history (for reports drawn later). Nothing time-dependent goes in, so the same
// seed and options give a byte-identical file.

import Foundation
import NeuralNet

/// Keys and values of the model file's `__metadata__` beyond the network's own.
public enum ModelMetadata {
    /// The input convention every mnist-swift model expects.
    public static let inputConvention =
        "28x28 grayscale, row-major, flattened to 784; ink 1.0, background 0.0; pixel byte / 255"

    /// One epoch's figures as stored in the `history` metadata entry (a JSON array of these).
    public struct HistoryEntry: Codable, Equatable, Sendable {
        /// 1-based epoch number.
        public var epoch: Int
        /// Mean minibatch loss over the epoch.
        public var trainLoss: Double
        /// Accuracy of the epoch's minibatch predictions, made before each step's update.
        public var trainAccuracy: Double
        /// Mean loss on the test set after the epoch.
        public var testLoss: Double
        /// Accuracy on the test set after the epoch.
        public var testAccuracy: Double
        /// Mean loss and accuracy on the validation split after the epoch, if there was one.
        public var validationLoss: Double?
        public var validationAccuracy: Double?

        /// One epoch's figures given directly (a summary from training converts with `init(_:)`).
        public init(
            epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double,
            validationLoss: Double? = nil, validationAccuracy: Double? = nil
        ) {
            self.epoch = epoch
            self.trainLoss = trainLoss
            self.trainAccuracy = trainAccuracy
            self.testLoss = testLoss
            self.testAccuracy = testAccuracy
            self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
        }

        enum CodingKeys: String, CodingKey {
            case epoch
            case trainLoss = "train_loss"
            case trainAccuracy = "train_accuracy"
            case testLoss = "test_loss"
            case testAccuracy = "test_accuracy"
            case validationLoss = "validation_loss"
            case validationAccuracy = "validation_accuracy"
        }
    }

    /// Metadata for a model trained with `options` from `seed` on `dataset`.
    /// - Parameters:
    ///   - threads: the thread count the run used; with the seed it decides the model's bits, so
    ///     reproducing a model byte for byte needs it.
    ///   - limit: the number of training samples the run was limited to (`--limit`), if any.
    ///   - recipe: the recipe's own keys (`TrainingRecipe.metadata`), added as they are.
    ///   - bestEpoch: the validation epoch whose weights the model holds, if one was chosen.
    ///   - finalTest: the saved model on the test set (default: the last epoch's figures).
    public static func training(
        dataset: String, options: TrainingOptions, seed: UInt64, history: [EpochSummary],
        threads: Int? = nil, limit: Int? = nil,
        recipe: [String: String] = [:], bestEpoch: Int? = nil, finalTest: Evaluation? = nil
    ) -> [String: String] {
        var metadata: [String: String] = [
            "dataset": dataset,
            "epochs": String(options.epochs),
            "batch_size": String(options.batchSize),
            "learning_rate": String(options.learningRate),
            "optimizer": options.optimizer.name,
            "schedule": options.schedule.rawValue,
            "seed": String(seed),
            "history": encodeHistory(history.map(HistoryEntry.init)),
        ]
        switch options.optimizer {
        case .sgd: break
        case .momentum(_, let momentum, _), .nesterov(_, let momentum, _):
            metadata["momentum"] = String(momentum)
        case .adam(_, let beta1, let beta2, let epsilon), .adamW(_, let beta1, let beta2, let epsilon, _):
            metadata["beta1"] = String(beta1)
            metadata["beta2"] = String(beta2)
            metadata["epsilon"] = String(epsilon)
        }
        if options.optimizer.weightDecay != 0 { metadata["weight_decay"] = String(options.optimizer.weightDecay) }
        if dataset == "mnist" { metadata["input"] = inputConvention }
        if let test = finalTest ?? history.last?.test {
            metadata["test_accuracy"] = String(format: "%.4f", test.accuracy)
            metadata["test_correct"] = String(test.correct)
            metadata["test_count"] = String(test.count)
        }
        if let bestEpoch { metadata["best_epoch"] = String(bestEpoch) }
        if let threads { metadata["threads"] = String(threads) }
        if let limit { metadata["limit"] = String(limit) }
        metadata.merge(recipe) { _, new in new }
        return metadata
    }

    /// The per-epoch history stored in a model's metadata, or nil if absent or unreadable.
    public static func history(from metadata: [String: String]) -> [HistoryEntry]? {
        guard let text = metadata["history"] else { return nil }
        return try? JSONDecoder().decode([HistoryEntry].self, from: Data(text.utf8))
    }

    static func encodeHistory(_ entries: [HistoryEntry]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(entries)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension ModelMetadata.HistoryEntry {
    init(_ summary: EpochSummary) {
        self.init(
            epoch: summary.epoch, trainLoss: summary.train.loss, trainAccuracy: summary.train.accuracy,
            testLoss: summary.test.loss, testAccuracy: summary.test.accuracy,
            validationLoss: summary.validation?.loss, validationAccuracy: summary.validation?.accuracy)
    }
}
