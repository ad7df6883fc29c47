// Gathering shuffled minibatches into one reused matrix, split across the compute pool.

/// Copies minibatches of a dataset into a matrix and label array that are reused from step to step.
///
/// Reading randomly chosen samples is bound by memory latency, which two cores hide better than
/// one, so the rows are split across the pool.
final class MinibatchLoader: ParallelTask {
    /// The current minibatch: `(batch × featureCount)`.
    let batch: Matrix
    /// The current minibatch's labels.
    private(set) var labels: [Int] = []

    private let dataset: Dataset
    private let pool: ComputePool
    private var indices: ArraySlice<Int> = []

    /// Below this many features in a batch, one thread gathers it.
    private static let parallelThreshold = 16_384

    init(dataset: Dataset, batchSize: Int, pool: ComputePool) {
        self.dataset = dataset
        self.pool = pool
        batch = Matrix(rows: batchSize, columns: dataset.featureCount)
        labels.reserveCapacity(batchSize)
    }

    /// Loads the samples at `indices` into `batch` and `labels`.
    func load(_ indices: ArraySlice<Int>) {
        self.indices = indices
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
        dataset.copyFeatures(of: indices, rows: rows, into: batch)
    }
}
