// Number and table formats shared by the text, Markdown and HTML reports.

import Foundation
import MNIST

/// Number formats and tables shared by the reports.
enum ReportFormat {
    /// `0.97931` → `"97.93%"`.
    static func percent(_ fraction: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f%%", 100 * fraction)
    }

    /// A value with four decimals, for losses and calibration errors.
    static func decimal(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    /// What a table shows for a score of a class that occurs nowhere in the set.
    static let absent = "–"

    /// `scores`' precision, recall and F1 as percentages, or dashes for an absent class.
    static func scoreTexts(_ scores: ClassScores) -> [String] {
        [scores.precision, scores.recall, scores.f1].map { scores.isPresent ? percent($0) : absent }
    }

    /// The per-class table: precision, recall, F1 and support.
    static func classTable(_ metrics: ClassificationMetrics) -> ReportTable {
        ReportTable(
            header: ["class", "precision", "recall", "F1", "support"],
            rows: metrics.classes.map { [String($0.label)] + scoreTexts($0) + [String($0.support)] })
    }

    /// What the macro F1 is a mean of: `over 10 classes`, or `over the 1 class present of 10`.
    static func macroF1Note(_ metrics: ClassificationMetrics) -> String {
        let present = metrics.presentClasses.count
        if present == metrics.classCount { return "over \(present) classes" }
        return "over the \(present) class\(present == 1 ? "" : "es") present of \(metrics.classCount)"
    }

    /// The macro F1 as a percentage, followed by what it is a mean of when some classes are absent.
    static func macroF1(_ metrics: ClassificationMetrics) -> String {
        let value = percent(metrics.macroF1)
        return metrics.presentClasses.count == metrics.classCount ? value : "\(value) (\(macroF1Note(metrics)))"
    }

    /// The confusion matrix with true classes down and predictions across.
    static func confusionTable(_ confusion: ConfusionMatrix) -> ReportTable {
        ReportTable(
            header: ["true \\ predicted"] + (0..<confusion.classCount).map(String.init),
            rows: confusion.counts.enumerated().map { label, row in [String(label)] + row.map(String.init) })
    }

    /// `"4 → 9: 23 times"`.
    static func confusionLine(_ confusion: ConfusionMatrix.Confusion) -> String {
        "\(confusion.actual) → \(confusion.predicted): \(confusion.count) time\(confusion.count == 1 ? "" : "s")"
    }

    /// Mean confidence, accuracy and ECE in one sentence.
    static func calibrationLine(_ calibration: Calibration) -> String {
        "mean confidence \(percent(calibration.meanConfidence)), accuracy \(percent(calibration.accuracy)), "
            + "expected calibration error \(decimal(calibration.expectedCalibrationError)) (\(calibration.bins.count) bins)"
    }

    /// `"784,128,64,10"`.
    static func layers(_ sizes: [Int]) -> String {
        sizes.map(String.init).joined(separator: ",")
    }
}
