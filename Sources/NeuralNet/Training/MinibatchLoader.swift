// Gathering shuffled minibatches into one reused matrix, split across the compute pool.

/// Copies minibatches of a dataset into a matrix and label array that are reused from step to step.
///
/// Reading randomly chosen samples is bound by memory latency, which two cores hide better than
/// one, so the rows are split across the pool (the same split the network's step uses, so each
/// core then works on the rows it gathered itself).
final class MinibatchLoader: ParallelTask {
    /// The current minibatch: `(batch × featureCount)`.
    let batch: Matrix
    /// The current minibatch's labels.
    private(set) var labels: [Int] = []

    private let dataset: Dataset
    private let pool: ComputePool
    /// Varies each sample as it is gathered, if set (byte datasets only).
    private let augmentation: (any SampleAugmentation)?
    private var indices: ArraySlice<Int> = []
    private var augmentationSeed: UInt64 = 0
    /// The raw bytes of the current minibatch, before conversion (see `Dataset.copyFeatures`).
    private let staging: UnsafeMutableBufferPointer<UInt8>

    /// Below this many features in a batch, one thread gathers it.
    private static let parallelThreshold = 16_384

    init(dataset: Dataset, batchSize: Int, pool: ComputePool, augmentation: (any SampleAugmentation)? = nil) {
        self.dataset = dataset
        self.pool = pool
        // Float features (already scaled values, not pixels) are gathered as they are.
        self.augmentation = dataset.holdsBytes ? augmentation : nil
        batch = Matrix(rows: batchSize, columns: dataset.featureCount)
        staging = .allocate(capacity: max(batchSize * dataset.featureCount, 1))
        labels.reserveCapacity(batchSize)
    }

    deinit {
        staging.deallocate()
    }

    /// Loads the samples at `indices` (at most the batch size given at creation) into `batch` and
    /// `labels`, varying them with the augmentation, if any, seeded by `augmentationSeed` and
    /// each sample's row.
    func load(_ indices: ArraySlice<Int>, augmentationSeed: UInt64 = 0) {
        precondition(indices.count * dataset.featureCount <= staging.count, "more samples than the loader was made for")
        self.indices = indices
        self.augmentationSeed = augmentationSeed
        batch.resize(rows: indices.count)
        labels.removeAll(keepingCapacity: true)
        for sample in indices { labels.append(dataset.labels[sample]) }
        if indices.count * dataset.featureCount < Self.parallelThreshold {
            run(part: 0, of: 1)
        } else {
            pool.run(self)
        }
    }

    func run(part: Int, of parts: Int) {
        let rows = share(of: indices.count, part: part, parts: parts)
        if let augmentation {
            dataset.augmentFeatures(of: indices, rows: rows, into: batch, with: augmentation, seed: augmentationSeed)
        } else {
            dataset.copyFeatures(of: indices, rows: rows, into: batch, staging: staging.baseAddress!)
        }
    }
}
