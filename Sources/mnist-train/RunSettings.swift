// What a run was started with, as a checkpoint records it: the recipe and everything else that
// decides the bits of the model (seed, threads, data).

import ArgumentParser
import CLISupport
import Foundation
import NeuralNet
import MNIST

/// The settings of one training run.
struct RunSettings: Codable, Equatable {
    var recipe: TrainingRecipe
    var seed: UInt64
    var threads: Int
    var dataset: String
    var limit: Int?

    /// The checkpoint metadata key that holds these settings as JSON.
    static let metadataKey = "run_settings"

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    init(recipe: TrainingRecipe, seed: UInt64, threads: Int, dataset: String, limit: Int?) {
        self.recipe = recipe
        self.seed = seed
        self.threads = threads
        self.dataset = dataset
        self.limit = limit
    }

    init?(metadata: [String: String]) {
        guard let text = metadata[Self.metadataKey],
              let settings = try? JSONDecoder().decode(RunSettings.self, from: Data(text.utf8)) else { return nil }
        self = settings
    }
}

extension MNISTTrain {
    /// The recipe the options describe: the preset (standard unless --recipe), then every option
    /// given on top of it.
    func freshSettings() -> RunSettings {
        var recipe = TrainingRecipe.presets[self.recipe ?? TrainingRecipe.standard.name]!
        if dataset == .edges { recipe.layers = try! Architecture(layerSizes: [25, 8, 2]) }
        apply(to: &recipe)
        return RunSettings(recipe: recipe, seed: seed ?? 42, threads: threadOptions.threads, dataset: dataset.rawValue, limit: limit)
    }

    /// The options given on the command line, applied to `recipe`.
    func apply(to recipe: inout TrainingRecipe) {
        if let layers { recipe.layers = layers.architecture }
        if let epochs { recipe.epochs = epochs }
        if let batchSize { recipe.batchSize = batchSize }
        if let optimizer, optimizer != recipe.optimizer {
            recipe.optimizer = optimizer
            recipe.learningRate = TrainingRecipe.defaultLearningRate(for: optimizer)
        }
        if let learningRate { recipe.learningRate = learningRate }
        if let momentum { recipe.momentum = momentum }
        if let weightDecay { recipe.weightDecay = weightDecay }
        if let schedule { recipe.schedule = schedule }
        if let warmup { recipe.warmupEpochs = warmup }
        if let dropout { recipe.dropout = dropout }
        if let augment { recipe.augmentation.kind = augment }
        if let validation { recipe.validation = validation }
        if let patience { recipe.patience = patience }
        if let labelSmoothing { recipe.labelSmoothing = labelSmoothing > 0 ? labelSmoothing : nil }
    }

    /// The saved settings, if every option given agrees with them.
    /// - Throws: `ValidationError` naming the first option that differs.
    func agreeing(with saved: RunSettings, checkpoint path: String) throws -> RunSettings {
        var requested = saved.recipe
        apply(to: &requested)
        let mismatch: String?
        if requested != saved.recipe {
            mismatch = "the recipe (\(Self.differences(saved.recipe, requested)))"
        } else if let seed, seed != saved.seed {
            mismatch = "--seed \(seed) (it has \(saved.seed))"
        } else if threadOptions.threadsGiven, threadOptions.threads != saved.threads {
            mismatch = "--threads \(threadOptions.threads) (it has \(saved.threads))"
        } else if dataset.rawValue != saved.dataset {
            mismatch = "--dataset \(dataset.rawValue) (it has \(saved.dataset))"
        } else if let limit, limit != saved.limit {
            mismatch = "--limit \(limit) (it has \(saved.limit.map(String.init) ?? "none"))"
        } else {
            mismatch = nil
        }
        if let mismatch {
            throw ValidationError("\(path): the checkpoint's run differs in \(mismatch); leave such options out to continue it")
        }
        return saved
    }

    /// The recipe fields that differ between two recipes, as `name saved → requested`.
    static func differences(_ saved: TrainingRecipe, _ requested: TrainingRecipe) -> String {
        let savedFields = Mirror(reflecting: saved).children
        let requestedFields = Array(Mirror(reflecting: requested).children)
        return zip(savedFields, requestedFields).compactMap { a, b in
            let (x, y) = (String(describing: a.value), String(describing: b.value))
            return x == y ? nil : "\(a.label ?? "?") \(x) → \(y)"
        }.joined(separator: ", ")
    }
}
