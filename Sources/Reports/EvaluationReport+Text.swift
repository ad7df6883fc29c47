// The evaluation report as plain text for a terminal: aligned tables, no colours or escapes,
// so it reads the same in a pipe.

extension EvaluationReport {
    /// The report as aligned plain text.
    public func text() -> String {
        let metrics = self.metrics
        var lines: [String] = [
            "model \(modelPath) [\(networkText)] on \(dataDescription)",
            "accuracy \(ReportFormat.percent(metrics.accuracy)) (\(metrics.correct)/\(metrics.count))  "
                + "loss \(ReportFormat.decimal(metrics.loss))  macro F1 \(ReportFormat.macroF1(metrics))",
            "",
            ReportFormat.classTable(metrics).text(),
            "",
            "confusion matrix (rows: true class, columns: predicted class)",
            ReportFormat.confusionTable(metrics.confusion).text(),
            "",
            "most frequent confusions (true → predicted)",
        ]
        let confusions = topConfusions
        lines += confusions.isEmpty ? ["  none"] : confusions.map { "  " + ReportFormat.confusionLine($0) }
        lines += ["", "calibration: " + ReportFormat.calibrationLine(metrics.calibration)]
        if !unreadableFiles.isEmpty {
            lines += ["", "\(unreadableFiles.count) file\(unreadableFiles.count == 1 ? "" : "s") could not be read and \(unreadableFiles.count == 1 ? "is" : "are") not counted:"] + unreadableLines
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
