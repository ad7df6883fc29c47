// A network's loss and accuracy on a whole dataset.

extension Network {
    /// Loss and accuracy on `dataset`, in inference mode, in chunks of `chunkSize` samples.
    public func evaluate(on dataset: Dataset, chunkSize: Int = 1000) -> Evaluation {
        let loader = MinibatchLoader(dataset: dataset, batchSize: chunkSize, pool: pool)
        let order = Array(0..<dataset.count)
        var totalLoss = 0.0
        var correct = 0
        var start = 0
        while start < dataset.count {
            let end = min(start + chunkSize, dataset.count)
            loader.load(order[start..<end])
            let result = evaluate(loader.batch, labels: loader.labels)
            totalLoss += Double(result.loss) * Double(end - start)
            correct += result.correct
            start = end
        }
        return Evaluation(loss: dataset.count == 0 ? 0 : totalLoss / Double(dataset.count), correct: correct, count: dataset.count)
    }

    /// Every weight and bias, layer after layer (weight then bias), as one array.
    public var parameters: [Float] {
        linearLayers.flatMap { $0.weight.elements + $0.bias.elements }
    }

    /// Sets every weight and bias from an array laid out like `parameters`.
    public func setParameters(_ values: [Float]) {
        precondition(values.count == parameterCount, "\(values.count) values for \(parameterCount) parameters")
        var offset = 0
        for layer in linearLayers {
            for matrix in [layer.weight, layer.bias] {
                _ = matrix.storage.update(fromContentsOf: values[offset..<(offset + matrix.count)])
                offset += matrix.count
            }
        }
    }

    /// Whether every weight and bias is a finite number.
    public var parametersAreFinite: Bool {
        linearLayers.allSatisfy { $0.weight.storage.allSatisfy(\.isFinite) && $0.bias.storage.allSatisfy(\.isFinite) }
    }
}
