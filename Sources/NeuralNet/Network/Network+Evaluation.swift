// A network's loss and accuracy on a whole dataset.

extension Network {
    /// Samples per chunk when a whole dataset goes through the network: 1,000, or fewer when a
    /// layer's output is so wide that 1,000 rows of it would hold over 16 MB (a 32-channel
    /// 28×28 convolution's output is 25,088 values a sample, 100 MB for 1,000 samples, and
    /// every layer keeps its own), but never fewer than 64.
    public var evaluationChunkSize: Int {
        let widest = layers.lazy.map(\.outputSize).max() ?? 1
        return min(1000, max(64, (1 << 22) / widest))
    }

    /// Loss and accuracy on `dataset`, in inference mode, in chunks of `chunkSize` samples
    /// (`evaluationChunkSize` when nil).
    public func evaluate(on dataset: Dataset, chunkSize: Int? = nil) -> Evaluation {
        var totalLoss = 0.0
        var correct = 0
        forEachChunk(of: dataset, chunkSize: chunkSize) { batch, labels in
            let result = evaluate(batch, labels: labels)
            totalLoss += Double(result.loss) * Double(labels.count)
            correct += result.correct
        }
        return Evaluation(loss: dataset.count == 0 ? 0 : totalLoss / Double(dataset.count), correct: correct, count: dataset.count)
    }

    /// Calls `body` with the samples of `dataset` in order, as they are (no augmentation), in
    /// chunks of `chunkSize` (`evaluationChunkSize` when nil): the features and their labels.
    func forEachChunk(of dataset: Dataset, chunkSize: Int? = nil, _ body: (Matrix, [Int]) -> Void) {
        let chunkSize = chunkSize ?? evaluationChunkSize
        let loader = MinibatchLoader(dataset: dataset, batchSize: chunkSize, pool: pool)
        let order = Array(0..<dataset.count)
        var start = 0
        while start < dataset.count {
            let end = min(start + chunkSize, dataset.count)
            loader.load(order[start..<end])
            body(loader.batch, loader.labels)
            start = end
        }
    }

    /// Every tensor's values (weights, biases, batch norm's running statistics), layer after
    /// layer in state-dict order, as one array.
    public var parameters: [Float] {
        allTensors.flatMap(\.values.elements)
    }

    /// Sets every tensor from an array laid out like `parameters`.
    public func setParameters(_ values: [Float]) {
        let tensors = allTensors
        precondition(values.count == tensors.reduce(0) { $0 + $1.values.count }, "\(values.count) values do not fit the network")
        var offset = 0
        for tensor in tensors {
            let matrix = tensor.values
            _ = matrix.storage.update(fromContentsOf: values[offset..<(offset + matrix.count)])
            offset += matrix.count
        }
    }

    /// Whether every weight, bias and statistic is a finite number.
    public var parametersAreFinite: Bool {
        allTensors.allSatisfy { $0.values.storage.allSatisfy(\.isFinite) }
    }

    /// Every tensor of every layer, in state-dict order.
    private var allTensors: [LayerTensor] {
        parameterizedLayers.flatMap(\.layer.tensors)
    }
}
