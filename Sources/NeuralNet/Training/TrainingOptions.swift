// How to train: the recipe, independent of the network's shape.

/// Epochs, batch size, update rule, schedule, early stopping and augmentation of a training run.
public struct TrainingOptions: Sendable {
    /// Passes over the training set (at most: early stopping may end the run sooner).
    public var epochs: Int = 10
    /// Samples per step.
    public var batchSize: Int = 64
    /// The update rule and its (peak) step size.
    public var optimizer: Optimizer = .sgd(learningRate: 0.1)
    /// How the step size changes over the run.
    public var schedule: LearningRateSchedule = .constant
    /// Epochs over which the step size first rises linearly to the schedule's start (0: none).
    public var warmupEpochs: Int = 0
    /// Seeds the per-epoch shuffles, the dropout masks and the augmentation (the weights have
    /// their own seed).
    public var shuffleSeed: UInt64 = 0
    /// Stop after this many epochs without a better validation accuracy (nil: never stop early).
    /// Needs a validation set.
    public var patience: Int?
    /// Varies the training samples as they are gathered (nil: used as they are). Only byte
    /// datasets (pixels) are varied; float samples are used as they are.
    public var augmentation: (any SampleAugmentation)?
    /// ε of label smoothing, in [0, 1): each step pulls towards `(1 − ε)·onehot(y) + ε/classes`
    /// instead of the label alone (0: off).
    public var labelSmoothing: Float = 0

    /// The optimizer's step size.
    public var learningRate: Float { optimizer.learningRate }

    /// Options for plain SGD with step size `learningRate`.
    public init(epochs: Int = 10, batchSize: Int = 64, learningRate: Float = 0.1, shuffleSeed: UInt64 = 0) {
        self.init(epochs: epochs, batchSize: batchSize, optimizer: .sgd(learningRate: learningRate), shuffleSeed: shuffleSeed)
    }

    /// Options with any optimizer and schedule.
    public init(
        epochs: Int = 10, batchSize: Int = 64, optimizer: Optimizer,
        schedule: LearningRateSchedule = .constant, warmupEpochs: Int = 0, shuffleSeed: UInt64 = 0,
        patience: Int? = nil, augmentation: (any SampleAugmentation)? = nil, labelSmoothing: Float = 0
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.schedule = schedule
        self.warmupEpochs = warmupEpochs
        self.shuffleSeed = shuffleSeed
        self.patience = patience
        self.augmentation = augmentation
        self.labelSmoothing = labelSmoothing
    }
}
