// Where a training run is, beyond the network's weights and its optimizer's state: enough to
// continue it exactly.

/// The position and memory of a training run.
public struct TrainingState: Sendable {
    /// The generator that shuffles each epoch, as it is after the current epoch's shuffle.
    public var shuffle: SeededGenerator
    /// Steps taken since the run began.
    public var step = 0
    /// Epochs completed (their summaries are in `history`).
    public var epochsDone: Int { history.count }
    /// Minibatches of the current epoch already trained on.
    public var batchesDone = 0
    /// The current epoch's running loss sum (per-sample) and correct count.
    public var lossSum = 0.0
    public var correct = 0
    /// The first step's loss, or ln(classes) if larger: what divergence is measured against.
    public var referenceLoss: Double?
    /// One summary per completed epoch.
    public var history: [EpochSummary] = []
    /// The best validation epoch so far and its weights.
    public var best: Best?
    /// Whether early stopping has ended the run.
    public var stoppedEarly = false

    /// The best validation epoch and the network's parameters after it.
    public struct Best: Sendable {
        public var epoch: Int
        public var validation: Evaluation
        public var parameters: [Float]

        public init(epoch: Int, validation: Evaluation, parameters: [Float]) {
            self.epoch = epoch
            self.validation = validation
            self.parameters = parameters
        }
    }

    public init(shuffle: SeededGenerator) {
        self.shuffle = shuffle
    }
}
