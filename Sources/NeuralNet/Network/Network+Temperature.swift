// Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): dividing
// every logit by one number T changes no answer, only how sure the probabilities say the network
// is. A network trained with label smoothing ε = 0.1 aims at 0.91 for the right class, so it reads
// about 91% even for the clearest digit; a T below 1 gives it back confidences that mean what
// they say. Folding 1/T into the last linear layer keeps the model an ordinary network (and an
// ordinary PyTorch nn.Sequential).

import Foundation

extension Network {
    /// The temperature T, between 0.05 and 4, that gives `dataset` the least mean cross-entropy
    /// of softmax(z / T) in inference mode: a one-dimensional search (golden section on log T),
    /// in Double, so it depends only on the network and the data. For a network that gets every
    /// sample right, surer is always better: it gets the bound, 0.05.
    public func fittedTemperature(on dataset: Dataset) -> Float {
        precondition(dataset.count > 0, "a temperature needs samples to fit")
        let logProbabilities = inferenceLogProbabilities(on: dataset)
        let classes = classCount
        // softmax(log p / T) = softmax(z / T): log p is z shifted by a constant per row.
        func loss(_ temperature: Double) -> Double {
            var total = 0.0
            for (row, label) in dataset.labels.enumerated() {
                let values = logProbabilities[(row * classes)..<((row + 1) * classes)]
                let largest = values.max()! / temperature
                let sum = values.reduce(0.0) { $0 + exp($1 / temperature - largest) }
                total += largest + log(sum) - values[row * classes + label] / temperature
            }
            return total / Double(dataset.count)
        }
        var (low, high) = (log(0.05), log(4.0))
        let ratio = (sqrt(5.0) - 1) / 2
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var lossA = loss(exp(a)), lossB = loss(exp(b))
        for _ in 0..<48 {
            if lossA <= lossB {
                (high, b, lossB) = (b, a, lossA)
                a = high - ratio * (high - low)
                lossA = loss(exp(a))
            } else {
                (low, a, lossA) = (a, b, lossB)
                b = low + ratio * (high - low)
                lossB = loss(exp(b))
            }
        }
        return Float(exp((low + high) / 2))
    }

    /// Divides every logit by `temperature` for good, by scaling the output layer's weight and
    /// bias by 1 / `temperature` (an architecture always ends in a linear layer, perhaps followed
    /// by dropout, which is the identity in inference).
    public func divideLogits(by temperature: Float) {
        precondition(temperature > 0 && temperature.isFinite, "a temperature must be positive")
        let output = layers.last { !($0 is Dropout) } as! Linear
        let scale = 1 / temperature
        for matrix in [output.weight, output.bias] {
            for i in matrix.storage.indices { matrix.storage[i] *= scale }
        }
    }

    /// log p of every class for every sample, row after row, in inference mode; probabilities that
    /// underflow to 0 count as the smallest positive Float's logarithm.
    private func inferenceLogProbabilities(on dataset: Dataset) -> [Double] {
        let floor = log(Double(Float.leastNonzeroMagnitude))
        var values: [Double] = []
        values.reserveCapacity(dataset.count * classCount)
        forEachChunk(of: dataset) { batch, _ in
            values.append(contentsOf: probabilities(batch).elements.map { $0 > 0 ? log(Double($0)) : floor })
        }
        return values
    }
}
