// Per-class precision, recall and F1, read off a confusion matrix.

/// How well a classifier does on one class.
public struct ClassScores: Sendable, Equatable {
    /// The class index.
    public var label: Int
    /// Of the samples predicted as this class, the fraction that are: TP / (TP + FP); 0 if none was.
    public var precision: Double
    /// Of the samples of this class, the fraction found: TP / (TP + FN); 0 if there are none.
    public var recall: Double
    /// The harmonic mean of precision and recall; 0 when both are 0.
    public var f1: Double
    /// Samples of this class.
    public var support: Int
    /// Samples predicted as this class.
    public var predicted: Int

    /// Scores given directly; `all(from:)` computes them from a confusion matrix.
    public init(label: Int, precision: Double, recall: Double, f1: Double, support: Int, predicted: Int) {
        self.label = label
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
        self.predicted = predicted
    }

    /// Whether the class occurs at all, among the labels or the predictions. An absent class has
    /// no scores to speak of: reports show a dash, and the macro average leaves it out (as
    /// scikit-learn averages over the labels present in either).
    public var isPresent: Bool { support > 0 || predicted > 0 }

    /// The scores of every class in `confusion`, in class order.
    public static func all(from confusion: ConfusionMatrix) -> [ClassScores] {
        let support = confusion.support
        let predicted = confusion.predictedCounts
        return (0..<confusion.classCount).map { label in
            let hits = Double(confusion[label, label])
            let precision = predicted[label] == 0 ? 0 : hits / Double(predicted[label])
            let recall = support[label] == 0 ? 0 : hits / Double(support[label])
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassScores(label: label, precision: precision, recall: recall, f1: f1, support: support[label], predicted: predicted[label])
        }
    }
}
