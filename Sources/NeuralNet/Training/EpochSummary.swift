// What training reports: an evaluation, an epoch's figures, and progress within an epoch.

/// Loss and accuracy of a network on a dataset.
public struct Evaluation: Sendable, Equatable, Codable {
    /// Mean cross-entropy per sample.
    public var loss: Double
    /// Samples classified correctly.
    public var correct: Int
    /// Samples evaluated.
    public var count: Int
    /// `correct / count`, 0 for an empty set.
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

    public init(loss: Double, correct: Int, count: Int) {
        self.loss = loss
        self.correct = correct
        self.count = count
    }

    /// Whether this is a better result than `other`: more correct, or as many at a lower loss.
    public func isBetter(than other: Evaluation) -> Bool {
        correct > other.correct || (correct == other.correct && loss < other.loss)
    }
}

/// What one epoch of training achieved.
public struct EpochSummary: Sendable, Equatable, Codable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean minibatch loss over the epoch and accuracy of the minibatch predictions (made before
    /// each step's update, on augmented samples when training augments them).
    public var train: Evaluation
    /// The network on the validation set after the epoch, if there is one.
    public var validation: Evaluation?
    /// The network on the test set after the epoch: a report only, never used to choose anything.
    public var test: Evaluation
    /// Wall-clock seconds of the epoch's training steps (not the evaluations).
    public var seconds: Double

    public init(epoch: Int, train: Evaluation, validation: Evaluation? = nil, test: Evaluation, seconds: Double) {
        self.epoch = epoch
        self.train = train
        self.validation = validation
        self.test = test
        self.seconds = seconds
    }
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
    /// Seconds since the epoch started (this session's share, after a resume).
    public var elapsed: Double
}
