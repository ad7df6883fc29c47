// The evaluation report as Markdown, for pasting into issues, pull requests and notes.

import MNIST

extension EvaluationReport {
    /// The report as a Markdown document.
    public func markdown() -> String {
        let metrics = self.metrics
        var lines: [String] = [
            "# Evaluation of `\(modelPath)`",
            "",
            "Layers \(networkText), evaluated on `\(dataDescription)`.",
            "",
            "- **Accuracy:** \(ReportFormat.percent(metrics.accuracy)) (\(metrics.correct)/\(metrics.count))",
            "- **Loss:** \(ReportFormat.decimal(metrics.loss))",
            "- **Macro F1:** \(ReportFormat.macroF1(metrics))",
            "- **Calibration:** \(ReportFormat.calibrationLine(metrics.calibration))",
            "",
            "## Per class",
            "",
            ReportFormat.classTable(metrics).markdown(),
            "",
            "## Confusion matrix",
            "",
            "Rows are true classes, columns predicted classes.",
            "",
            ReportFormat.confusionTable(metrics.confusion).markdown(),
            "",
            "## Most frequent confusions",
            "",
        ]
        let confusions = topConfusions
        lines += confusions.isEmpty ? ["None."] : confusions.map { "- " + ReportFormat.confusionLine($0) }
        if !history.isEmpty {
            lines += ["", "## Training history", "", historyTable().markdown()]
        }
        if !unreadableFiles.isEmpty {
            lines += ["", "## Files not read", "", "Not counted above:", ""]
                + unreadableFiles.map { "- `\($0.path)`: \($0.reason)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One row per epoch: losses and accuracies on the training and test sets.
    func historyTable() -> ReportTable {
        ReportTable(
            header: ["epoch", "train loss", "train accuracy", "test loss", "test accuracy"],
            rows: history.map {
                [String($0.epoch), ReportFormat.decimal($0.trainLoss), ReportFormat.percent($0.trainAccuracy),
                 ReportFormat.decimal($0.testLoss), ReportFormat.percent($0.testAccuracy)]
            })
    }
}
