// A labelled dataset kept compactly, with minibatches gathered into a reused matrix.

/// Labelled samples for classification: one feature vector and one class index each.
///
/// Image datasets keep their pixels as bytes and scale them while gathering a minibatch, which
/// keeps 60,000 MNIST images in 47 MB instead of 188 MB; other datasets keep `Float`s.
public struct Dataset: Sendable {
    /// How the features are stored.
    public enum Features: Sendable {
        /// Bytes, each multiplied by `scale` when read (for pixels: 1/255).
        case bytes([UInt8], scale: Float)
        /// Values used as they are.
        case floats([Float])
    }

    /// The features of all samples, sample after sample.
    public let features: Features
    /// One class index per sample, each in `0..<classCount`.
    public let labels: [Int]
    /// Features per sample.
    public let featureCount: Int
    /// Number of classes: labels are in `0..<classCount`.
    public let classCount: Int

    /// A dataset from features and labels; `features` must hold `labels.count * featureCount` values
    /// and every label must lie in `0..<classCount`.
    public init(features: Features, labels: [Int], featureCount: Int, classCount: Int) {
        let stored: Int
        switch features {
        case .bytes(let bytes, _): stored = bytes.count
        case .floats(let floats): stored = floats.count
        }
        precondition(stored == labels.count * featureCount, "features do not match labels × featureCount")
        precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "a label is outside 0..<\(classCount)")
        self.features = features
        self.labels = labels
        self.featureCount = featureCount
        self.classCount = classCount
    }

    /// Number of samples.
    public var count: Int { labels.count }

    /// Copies the samples at `indices` into the rows of `batch` (resized to `indices.count` rows,
    /// scaled to floats) and their labels into `batchLabels`.
    public func gather(_ indices: ArraySlice<Int>, into batch: Matrix, labels batchLabels: inout [Int]) {
        precondition(batch.columns == featureCount, "batch has \(batch.columns) columns, samples have \(featureCount) features")
        batch.resize(rows: indices.count)
        batchLabels.removeAll(keepingCapacity: true)
        for sample in indices { batchLabels.append(labels[sample]) }
        let staging = UnsafeMutablePointer<UInt8>.allocate(capacity: max(indices.count * featureCount, 1))
        defer { staging.deallocate() }
        copyFeatures(of: indices, rows: 0..<indices.count, into: batch, staging: staging)
    }

    /// Copies the features of samples `indices[rows]` into `batch`'s rows `rows`, scaled to floats.
    ///
    /// Byte features go in two passes: the rows' bytes are copied into `staging` (room for a byte
    /// per feature of every row of `batch`; row `r` lands at `r * featureCount`), then converted
    /// from there. Shuffled rows lie anywhere in the dataset, and a plain copy keeps several of
    /// them in flight at once where a converting loop waits for each in turn: the two passes
    /// gather a minibatch of MNIST in half the time.
    func copyFeatures(of indices: ArraySlice<Int>, rows: Range<Int>, into batch: Matrix, staging: UnsafeMutablePointer<UInt8>) {
        let width = featureCount
        let first = indices.startIndex
        switch features {
        case .bytes(let bytes, let scale):
            bytes.withUnsafeBufferPointer { source in
                for row in rows {
                    (staging + row * width).update(from: source.baseAddress! + indices[first + row] * width, count: width)
                }
            }
            let from = staging + rows.lowerBound * width
            let to = batch.pointer(row: rows.lowerBound)
            for i in 0..<(rows.count * width) { to[i] = Float(from[i]) * scale }
        case .floats(let floats):
            floats.withUnsafeBufferPointer { source in
                for row in rows {
                    batch.pointer(row: row).update(from: source.baseAddress! + indices[first + row] * width, count: width)
                }
            }
        }
    }

    /// Whether the features are bytes, the only kind a `SampleAugmentation` varies.
    var holdsBytes: Bool {
        if case .bytes = features { return true }
        return false
    }

    /// Writes varied copies of the byte samples `indices[rows]` into `batch`'s rows `rows`:
    /// `augmentation` is called once per row with a seed mixed from `seed` and the row, so a row
    /// gets the same variation whichever thread gathers it. Only for byte datasets (`holdsBytes`).
    func augmentFeatures(
        of indices: ArraySlice<Int>, rows: Range<Int>, into batch: Matrix,
        with augmentation: any SampleAugmentation, seed: UInt64
    ) {
        guard case .bytes(let bytes, let scale) = features else {
            preconditionFailure("only byte samples are augmented")
        }
        let width = featureCount, first = indices.startIndex
        bytes.withUnsafeBufferPointer { source in
            for row in rows {
                let sampleSeed = mixSeed(seed, UInt64(row))
                augmentation.augment(
                    source.baseAddress! + indices[first + row] * width, into: batch.pointer(row: row),
                    scale: scale, seed: sampleSeed)
            }
        }
    }

    /// Samples `range` as a matrix of floats (pixels scaled to 0…1), one row per sample.
    public func matrix(_ range: Range<Int>? = nil) -> Matrix {
        let range = range ?? 0..<count
        let result = Matrix(rows: range.count, columns: featureCount)
        var scratch: [Int] = []
        gather(ArraySlice(range), into: result, labels: &scratch)
        return result
    }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let width = featureCount
        let features: Features
        switch self.features {
        case .bytes(let bytes, let scale):
            features = .bytes(indices.flatMap { bytes[($0 * width)..<(($0 + 1) * width)] }, scale: scale)
        case .floats(let floats):
            features = .floats(indices.flatMap { floats[($0 * width)..<(($0 + 1) * width)] })
        }
        return Dataset(features: features, labels: indices.map { labels[$0] }, featureCount: width, classCount: classCount)
    }

    /// Splits off `count` samples chosen at random with `seed`: the rest (in their original order)
    /// and the held-out samples (in their original order too).
    public func holdingOut(_ count: Int, seed: UInt64) -> (rest: Dataset, heldOut: Dataset) {
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<self.count)
        order.fisherYatesShuffle(using: &generator)
        let heldOut = Set(order.prefix(min(max(count, 0), self.count)))
        let restIndices = (0..<self.count).filter { !heldOut.contains($0) }
        let heldOutIndices = (0..<self.count).filter { heldOut.contains($0) }
        return (subset(restIndices), subset(heldOutIndices))
    }

    /// The first `n` samples (all of them if there are fewer).
    public func prefix(_ n: Int) -> Dataset {
        let n = min(max(n, 0), count)
        let features: Features
        switch self.features {
        case .bytes(let bytes, let scale): features = .bytes(Array(bytes[0..<(n * featureCount)]), scale: scale)
        case .floats(let floats): features = .floats(Array(floats[0..<(n * featureCount)]))
        }
        return Dataset(features: features, labels: Array(labels[0..<n]), featureCount: featureCount, classCount: classCount)
    }
}
