// A training recipe: everything that decides how a network is trained, as one value that presets
// fill in, command-line options override, model metadata records and checkpoints carry.

import NeuralNet

/// How to train a digit classifier: network, update rule, schedule, regularisation, augmentation
/// and validation.
///
/// `standard` is the plain protocol every MLP tutorial uses (and the benchmarks compare with);
/// `small` and `large` are the accuracy presets, their values chosen on a validation split
/// (docs/recipes.md tells how).
public struct TrainingRecipe: Sendable, Equatable, Codable {
    /// The update rules a recipe can name.
    public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
        case sgd, momentum, nesterov, adam, adamw
    }

    /// `standard`, `small`, `large`, or `custom` once options have changed a preset.
    public var name: String
    /// The network; with `dropout` above 0, a multilayer perceptron gets a dropout after each
    /// hidden ReLU (`network` is the result).
    public var layers: Architecture
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerKind
    /// The (peak) step size.
    public var learningRate: Float
    /// μ for momentum and Nesterov.
    public var momentum: Float
    /// λ: L2 for the SGD family, decoupled for AdamW; not for Adam.
    public var weightDecay: Float
    public var schedule: LearningRateSchedule
    public var warmupEpochs: Int
    /// Dropout after every hidden ReLU while training (0: none).
    public var dropout: Float
    public var augmentation: DigitAugmentation
    /// Training images held out to choose the best epoch (0: none; the last epoch is kept).
    public var validation: Int
    /// Epochs without a better validation accuracy before stopping (nil: never stop early).
    public var patience: Int?
    /// ε of label smoothing: each step pulls towards `(1 − ε)·onehot(y) + ε/10` instead of the
    /// label alone (nil: none). Optional so that checkpoints written before it still read.
    public var labelSmoothing: Float? = nil

    /// The plain protocol: [784,128,64,10], 10 epochs of SGD at 0.1 with batches of 64, no
    /// augmentation, no validation.
    public static let standard = TrainingRecipe(
        name: "standard", layers: perceptron([784, 128, 64, 10]), epochs: 10, batchSize: 64, optimizer: .sgd,
        learningRate: 0.1, momentum: 0.9, weightDecay: 0, schedule: .constant, warmupEpochs: 0,
        dropout: 0, augmentation: .none, validation: 0, patience: nil)

    /// [784,128,64,10] to 99%: AdamW on a one-cycle schedule over affine-distorted digits.
    public static let small = TrainingRecipe(
        name: "small", layers: perceptron([784, 128, 64, 10]), epochs: 60, batchSize: 128, optimizer: .adamw,
        learningRate: 0.003, momentum: 0.9, weightDecay: 0.05, schedule: .oneCycle, warmupEpochs: 0,
        dropout: 0, augmentation: .affine, validation: 5000, patience: nil)

    /// [784,1200,1200,10] with dropout over elastically distorted digits.
    public static let large = TrainingRecipe(
        name: "large", layers: perceptron([784, 1200, 1200, 10]), epochs: 150, batchSize: 256, optimizer: .adamw,
        learningRate: 0.002, momentum: 0.9, weightDecay: 0.05, schedule: .oneCycle, warmupEpochs: 0,
        dropout: 0.1, augmentation: .elastic, validation: 5000, patience: nil)

    /// A small convolutional network with batch norm over affine-distorted digits, with label
    /// smoothing 0.1, trained on all 60,000 images: validation runs (`--validation 5000`) chose 25
    /// epochs and label smoothing, and found the last epochs of the one-cycle level, so the last
    /// epoch is kept and nothing is held out.
    public static let cnn = TrainingRecipe(
        name: "cnn", layers: try! Architecture(parsing: "1x28x28,32C5,BN,MP2,64C5,BN,MP2,128,BN,10"), epochs: 25,
        batchSize: 128, optimizer: .adamw, learningRate: 0.003, momentum: 0.9, weightDecay: 0.05, schedule: .oneCycle,
        warmupEpochs: 0, dropout: 0, augmentation: .affine, validation: 0, patience: nil, labelSmoothing: 0.1)

    /// The presets by name.
    public static let presets: [String: TrainingRecipe] = ["standard": standard, "small": small, "large": large, "cnn": cnn]

    /// The network trained: `layers`, with `dropout` after each hidden ReLU of a perceptron.
    /// - Throws: `ArchitectureError` when `dropout` is set for a network that is not a perceptron
    ///   (write D tokens into its layers instead).
    public func network() throws(ArchitectureError) -> Architecture {
        guard dropout > 0 else { return layers }
        guard let sizes = layers.layerSizes, layers.modules.allSatisfy({ if case .dropout = $0 { false } else { true } }) else {
            throw .badToken("--dropout", reason: "applies to layer-size lists only; write dropout into the network instead, such as 128,D0.25,10")
        }
        return try Architecture(layerSizes: sizes, dropout: dropout)
    }

    /// A multilayer perceptron's architecture from known-good sizes.
    private static func perceptron(_ sizes: [Int]) -> Architecture {
        try! Architecture(layerSizes: sizes)
    }

    /// The default step size of each update rule (PyTorch's usual starting points).
    public static func defaultLearningRate(for optimizer: OptimizerKind) -> Float {
        switch optimizer {
        case .sgd: return 0.1
        case .momentum, .nesterov: return 0.01
        case .adam, .adamw: return 0.001
        }
    }

    /// The update rule with its hyperparameters.
    public var updateRule: Optimizer {
        switch optimizer {
        case .sgd: return .sgd(learningRate: learningRate, weightDecay: weightDecay)
        case .momentum: return .momentum(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        case .nesterov: return .nesterov(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        case .adam: return .adam(learningRate: learningRate)
        case .adamw: return .adamW(learningRate: learningRate, weightDecay: weightDecay)
        }
    }

    /// The library's training options for this recipe, seeded with `seed`.
    /// - Throws: `DigitAugmentationError` if the augmentation's settings are unusable.
    public func trainingOptions(seed: UInt64) throws(DigitAugmentationError) -> TrainingOptions {
        let augmenter = augmentation.kind == .none ? nil : try DigitAugmenter(augmentation, fieldSeed: seed)
        return TrainingOptions(
            epochs: epochs, batchSize: batchSize, optimizer: updateRule, schedule: schedule,
            warmupEpochs: warmupEpochs, shuffleSeed: seed, patience: patience, augmentation: augmenter,
            labelSmoothing: labelSmoothing ?? 0)
    }

    /// What the recipe adds to a model's metadata beyond the plain protocol's keys; empty for
    /// `standard`, whose files stay as they always were.
    public var metadata: [String: String] {
        var entries: [String: String] = [:]
        if name != TrainingRecipe.standard.name { entries["recipe"] = name }
        if warmupEpochs > 0 { entries["warmup_epochs"] = String(warmupEpochs) }
        if dropout > 0 { entries["dropout"] = String(dropout) }
        if augmentation.kind != .none { entries["augmentation"] = augmentation.description }
        if validation > 0 { entries["validation"] = String(validation) }
        if let patience { entries["patience"] = String(patience) }
        if let labelSmoothing { entries["label_smoothing"] = String(labelSmoothing) }
        return entries
    }
}
