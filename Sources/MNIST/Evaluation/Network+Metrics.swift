// Running a network over a whole dataset to get its class probabilities, and metrics from them.

import NeuralNet

extension Network {
    /// Class probabilities for every sample of `dataset`, `(count × classCount)`, computed in
    /// chunks of `chunkSize` samples (`evaluationChunkSize` when nil) so the activations stay small.
    public func probabilities(on dataset: Dataset, chunkSize: Int? = nil) -> Matrix {
        precondition(dataset.featureCount == inputSize, "the dataset has \(dataset.featureCount) features; the network takes \(inputSize)")
        let chunkSize = chunkSize ?? evaluationChunkSize
        precondition(chunkSize > 0, "chunk size must be positive")
        let result = Matrix(rows: dataset.count, columns: classCount)
        let batch = Matrix(rows: 0, columns: dataset.featureCount)
        var labels: [Int] = []
        var start = 0
        while start < dataset.count {
            let end = min(start + chunkSize, dataset.count)
            dataset.gather(ArraySlice(start..<end), into: batch, labels: &labels)
            let chunk = probabilities(batch)
            result.pointer(row: start).update(from: chunk.pointer(), count: chunk.count)
            start = end
        }
        return result
    }

    /// Accuracy, loss, confusion matrix, per-class scores and calibration on `dataset`.
    public func metrics(on dataset: Dataset, calibrationBins: Int = 10) -> ClassificationMetrics {
        ClassificationMetrics(probabilities: probabilities(on: dataset), labels: dataset.labels, calibrationBins: calibrationBins)
    }
}
