// Calibration: does a model that says "90% sure" turn out right 90% of the time?
//
// Predictions are grouped by confidence (the largest probability) into equal-width bins over
// [0, 1]. The expected calibration error (ECE) is the sample-weighted mean gap between each bin's
// accuracy and its mean confidence: Σ_b (n_b / N) · |accuracy_b − confidence_b|.

/// Mean confidence against accuracy, overall and per confidence bin.
public struct Calibration: Sendable, Equatable {
    /// One confidence interval `[lower, upper)` (the last bin includes 1).
    public struct Bin: Sendable, Equatable {
        /// The lowest confidence in the bin.
        public var lower: Double
        /// The confidence where the next bin starts (1 for the last, which includes it).
        public var upper: Double
        /// Predictions whose confidence falls in the bin.
        public var count: Int
        /// Their mean confidence; 0 for an empty bin.
        public var meanConfidence: Double
        /// The fraction of them that are correct; 0 for an empty bin.
        public var accuracy: Double
    }

    /// The bins in increasing order of confidence.
    public let bins: [Bin]
    /// Mean confidence over all predictions.
    public let meanConfidence: Double
    /// Fraction of all predictions that are correct.
    public let accuracy: Double
    /// Expected calibration error over `bins`, in 0…1.
    public let expectedCalibrationError: Double

    /// Calibration of predictions with the given confidences (each in 0…1) and outcomes.
    /// - Parameters:
    ///   - confidences: the probability each prediction gave its predicted class; values outside
    ///     0…1 are clamped, NaN counts as 0.
    ///   - correct: whether each prediction was right.
    ///   - binCount: the number of equal-width bins; at least 1.
    public init(confidences: [Float], correct: [Bool], binCount: Int = 10) {
        precondition(confidences.count == correct.count, "\(confidences.count) confidences but \(correct.count) outcomes")
        precondition(binCount >= 1, "calibration needs at least one bin")
        var counts = Array(repeating: 0, count: binCount)
        var confidenceSums = Array(repeating: 0.0, count: binCount)
        var hits = Array(repeating: 0, count: binCount)
        for (confidence, isCorrect) in zip(confidences, correct) {
            // NaN (from a model whose activations overflowed) counts as 0 rather than trapping in Int().
            let value = confidence.isNaN ? 0 : min(max(Double(confidence), 0), 1)
            let bin = min(Int(value * Double(binCount)), binCount - 1)
            counts[bin] += 1
            confidenceSums[bin] += value
            if isCorrect { hits[bin] += 1 }
        }
        let total = confidences.count
        var bins: [Bin] = []
        var error = 0.0
        for index in 0..<binCount {
            let n = counts[index]
            let meanConfidence = n == 0 ? 0 : confidenceSums[index] / Double(n)
            let accuracy = n == 0 ? 0 : Double(hits[index]) / Double(n)
            bins.append(Bin(
                lower: Double(index) / Double(binCount), upper: Double(index + 1) / Double(binCount),
                count: n, meanConfidence: meanConfidence, accuracy: accuracy))
            if total > 0 { error += Double(n) / Double(total) * abs(accuracy - meanConfidence) }
        }
        self.bins = bins
        expectedCalibrationError = error
        meanConfidence = total == 0 ? 0 : confidenceSums.reduce(0, +) / Double(total)
        accuracy = total == 0 ? 0 : Double(hits.reduce(0, +)) / Double(total)
    }
}
