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

    /// The per-class table: precision, recall, F1 and support.
    static func classTable(_ metrics: ClassificationMetrics) -> ReportTable {
        ReportTable(
            header: ["class", "precision", "recall", "F1", "support"],
            rows: metrics.classes.map {
                [String($0.label), percent($0.precision), percent($0.recall), percent($0.f1), String($0.support)]
            })
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
