// Everything a report says about a classifier on a labelled set, computed from the class
// probabilities it gave each sample and the true labels: accuracy, loss, the confusion matrix,
// per-class scores, calibration and the individual predictions (for galleries of mistakes).

import Foundation
import NeuralNet

/// A classifier's results on a labelled set.
public struct ClassificationMetrics: Sendable, Equatable {
    /// The number of classes.
    public let classCount: Int
    /// True class of each sample.
    public let labels: [Int]
    /// Predicted class of each sample: the class with the largest probability (the first on ties).
    public let predictions: [Int]
    /// The probability each sample gave its predicted class.
    public let confidences: [Float]
    /// Mean cross-entropy, −log p(true class), per sample.
    public let loss: Double
    /// True against predicted classes.
    public let confusion: ConfusionMatrix
    /// Precision, recall, F1 and support of each class, in class order.
    public let classes: [ClassScores]
    /// Confidence against accuracy.
    public let calibration: Calibration

    /// Probabilities below this count as this when taking their logarithm, so that a probability
    /// that underflowed to 0 gives a large but finite loss (about 87) rather than infinity.
    public static let smallestProbability = Float.leastNormalMagnitude

    /// Metrics from a `(samples × classes)` matrix of probabilities and one label per row.
    /// - Parameters:
    ///   - probabilities: each row a probability distribution over the classes.
    ///   - labels: the true class of each row, in `0..<probabilities.columns`.
    ///   - calibrationBins: equal-width confidence bins for the calibration figures.
    public init(probabilities: Matrix, labels: [Int], calibrationBins: Int = 10) {
        precondition(labels.count == probabilities.rows, "\(labels.count) labels for \(probabilities.rows) rows")
        let classCount = probabilities.columns
        precondition(labels.allSatisfy { (0..<classCount).contains($0) }, "a label is outside 0..<\(classCount)")
        var predictions: [Int] = []
        var confidences: [Float] = []
        var lossSum = 0.0
        predictions.reserveCapacity(labels.count)
        confidences.reserveCapacity(labels.count)
        for (row, label) in labels.enumerated() {
            let p = probabilities.pointer(row: row)
            var best = 0
            for c in 1..<max(classCount, 1) where p[c] > p[best] { best = c }
            predictions.append(best)
            confidences.append(p[best])
            lossSum -= Double(log(max(p[label], Self.smallestProbability)))
        }
        self.classCount = classCount
        self.labels = labels
        self.predictions = predictions
        self.confidences = confidences
        loss = labels.isEmpty ? 0 : lossSum / Double(labels.count)
        confusion = ConfusionMatrix(labels: labels, predictions: predictions, classCount: classCount)
        classes = ClassScores.all(from: confusion)
        calibration = Calibration(
            confidences: confidences, correct: zip(labels, predictions).map { $0 == $1 },
            binCount: calibrationBins)
    }

    /// Samples evaluated.
    public var count: Int { labels.count }
    /// Samples classified correctly.
    public var correct: Int { confusion.correct }
    /// `correct / count`; 0 for an empty set.
    public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

    /// The classes that occur among the labels or the predictions.
    public var presentClasses: [ClassScores] { classes.filter(\.isPresent) }

    /// The unweighted mean of the F1 scores of the classes present (in the labels or the
    /// predictions), as scikit-learn's `f1_score(average="macro")`: a folder of sevens all read
    /// as 7 scores 100%, not 10%. 0 for an empty set.
    public var macroF1: Double {
        let present = presentClasses
        return present.isEmpty ? 0 : present.reduce(0) { $0 + $1.f1 } / Double(present.count)
    }

    /// A wrong prediction, with the sample it was made on.
    public struct Mistake: Sendable, Equatable {
        /// Index of the sample in the evaluated set.
        public var index: Int
        /// The sample's true class.
        public var actual: Int
        /// The class the model chose.
        public var predicted: Int
        /// The probability the model gave its (wrong) prediction.
        public var confidence: Float
    }

    /// The wrong predictions made with the highest confidence, most confident first (ties by index).
    public func mostConfidentMistakes(limit: Int) -> [Mistake] {
        let mistakes = labels.indices
            .filter { labels[$0] != predictions[$0] }
            .map { Mistake(index: $0, actual: labels[$0], predicted: predictions[$0], confidence: confidences[$0]) }
        return Array(stableSorted(mistakes) { $0.confidence > $1.confidence }.prefix(max(limit, 0)))
    }
}
